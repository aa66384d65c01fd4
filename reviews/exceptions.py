"""Why a review cannot be written or changed, in words the buyer reads."""

from django.utils.translation import gettext_lazy as _


class ReviewRefused(Exception):
    """Raised by reviews.services; `status` is the HTTP answer a page gives for it."""

    status = 403

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotDelivered(ReviewRefused):
    def __init__(self):
        super().__init__(
            _("Chỉ đánh giá được sản phẩm đã giao đến bạn. Khi gian hàng giao xong, hãy quay lại.")
        )


class EditWindowClosed(ReviewRefused):
    def __init__(self, days: int):
        super().__init__(
            _("Đánh giá chỉ sửa được trong %(days)s ngày sau khi viết. Đánh giá của bạn vẫn hiện như cũ.")
            % {"days": days}
        )
