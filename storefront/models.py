from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FailedJob(models.Model):
    """A background job that failed on its last try: kept here so an admin sees it and can run it
    again once the cause (a mail server, a full disk) is fixed. Written by storefront.jobs."""

    name = models.CharField(_("việc"), max_length=200)
    arguments = models.JSONField(_("tham số"), default=dict)
    tries = models.PositiveSmallIntegerField(_("số lần thử"), default=1)
    error = models.TextField(_("lỗi"))
    failed_at = models.DateTimeField(_("lỗi lúc"), auto_now_add=True)
    retried_at = models.DateTimeField(_("chạy lại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("việc nền bị lỗi")
        verbose_name_plural = pgettext_lazy("số nhiều", "việc nền bị lỗi")
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} · {self.failed_at:%d/%m/%Y %H:%M}"
