import pytest

from storefront.lib.text import ascii_fold, fold, search_text, vi_slugify, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đặc sản Đắk Lắk", "dac san dak lak"),
        ("Chè Shan tuyết", "che shan tuyet"),
        ("MẬT ONG BẠC HÀ", "mat ong bac ha"),
        ("", ""),
    ],
)
def test_fold_drops_tones_marks_and_d_stroke(text, expected):
    """fold() lower-cases and strips every Vietnamese mark, đ/Đ included."""
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đặc sản Đắk Lắk", "dac-san-dak-lak"),
        ("Thổ cẩm H'Mông", "tho-cam-hmong"),
        ("Chè Shan tuyết", "che-shan-tuyet"),
        ("  Gạo nếp   cái hoa vàng!  ", "gao-nep-cai-hoa-vang"),
    ],
)
def test_vi_slugify_keeps_the_d(text, expected):
    """vi_slugify() folds before slugifying, so Đ becomes d instead of vanishing."""
    assert vi_slugify(text) == expected


def test_words_drop_punctuation_and_apostrophes():
    """words() splits folded text and joins H'Mông into one word."""
    assert words("Thổ cẩm H'Mông, Dao đỏ.") == ["tho", "cam", "hmong", "dao", "do"]


def test_search_text_is_padded_for_word_start_matches():
    """search_text() is space-padded so ' word' matches the start of a word."""
    assert search_text("Chè Shan", None, "tuyết") == " che shan tuyet "


def test_ascii_fold_gives_plain_ascii_and_truncates():
    """ascii_fold() leaves only ASCII, collapses spaces and honours max_length."""
    assert ascii_fold("Thanh toán  đơn   CP-ĐẮK") == "thanh toan don cp-dak"
    assert ascii_fold("Nguyễn Văn Ánh", max_length=9) == "nguyen va"
    assert ascii_fold("Cà phê ☕ ngon").isascii()


def test_ascii_fold_can_keep_case_for_transfer_notes():
    """With keep_case, the note a bank shows reads like the code printed on the order page."""
    assert ascii_fold("Thanh toán đơn CP-ĐẮK", keep_case=True) == "Thanh toan don CP-DAK"
