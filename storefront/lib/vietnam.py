"""Reference lists for Vietnam: the 34 provinces (since 1 July 2025) and banks with NAPAS BINs."""

# Two-digit codes from Resolution 202/2025/QH15; names may change, codes are what we store.
PROVINCES: list[tuple[str, str]] = [
    ("01", "Hà Nội"),
    ("04", "Cao Bằng"),
    ("08", "Tuyên Quang"),
    ("11", "Điện Biên"),
    ("12", "Lai Châu"),
    ("14", "Sơn La"),
    ("15", "Lào Cai"),
    ("19", "Thái Nguyên"),
    ("20", "Lạng Sơn"),
    ("22", "Quảng Ninh"),
    ("24", "Bắc Ninh"),
    ("25", "Phú Thọ"),
    ("31", "Hải Phòng"),
    ("33", "Hưng Yên"),
    ("37", "Ninh Bình"),
    ("38", "Thanh Hóa"),
    ("40", "Nghệ An"),
    ("42", "Hà Tĩnh"),
    ("44", "Quảng Trị"),
    ("46", "Huế"),
    ("48", "Đà Nẵng"),
    ("51", "Quảng Ngãi"),
    ("52", "Gia Lai"),
    ("56", "Khánh Hòa"),
    ("66", "Đắk Lắk"),
    ("68", "Lâm Đồng"),
    ("75", "Đồng Nai"),
    ("79", "TP Hồ Chí Minh"),
    ("80", "Tây Ninh"),
    ("82", "Đồng Tháp"),
    ("86", "Vĩnh Long"),
    ("91", "An Giang"),
    ("92", "Cần Thơ"),
    ("96", "Cà Mau"),
]
PROVINCE_NAMES = dict(PROVINCES)

# NAPAS bank identification numbers used in VietQR codes.
BANKS: list[tuple[str, str]] = [
    ("970436", "Vietcombank"),
    ("970415", "VietinBank"),
    ("970418", "BIDV"),
    ("970405", "Agribank"),
    ("970407", "Techcombank"),
    ("970422", "MB"),
    ("970416", "ACB"),
    ("970432", "VPBank"),
    ("970423", "TPBank"),
    ("970403", "Sacombank"),
    ("970443", "SHB"),
    ("970437", "HDBank"),
    ("970441", "VIB"),
]
BANK_NAMES = dict(BANKS)
