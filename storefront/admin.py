"""The admin site's own titles, in Vietnamese like the rest of the market."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .jobs import job_enqueue_again
from .models import FailedJob

admin.site.site_header = _("Quản trị Chợ Phiên")
admin.site.site_title = _("Quản trị Chợ Phiên")
admin.site.index_title = _("Bảng quản trị")


@admin.register(FailedJob)
class FailedJobAdmin(admin.ModelAdmin):
    """Background jobs that failed on every try; "run again" once the cause is fixed."""

    list_display = ["name", "failed_at", "tries", "retried_at"]
    list_filter = ["name", "failed_at"]
    search_fields = ["name", "error"]
    readonly_fields = ["name", "arguments", "tries", "error", "failed_at", "retried_at"]
    actions = ["run_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Chạy lại các việc đã chọn"))
    def run_again(self, request, queryset):
        count = 0
        for job in queryset:
            job_enqueue_again(job=job)
            job.retried_at = timezone.now()
            job.save(update_fields=["retried_at"])
            count += 1
        self.message_user(request, _("Đã đưa %(n)d việc vào hàng đợi lại.") % {"n": count}, messages.SUCCESS)
