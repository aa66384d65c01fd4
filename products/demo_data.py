"""The demo market: cooperatives, categories and products from DOMAIN.md's demo catalogue."""

CATEGORIES = [
    # slug, name, English name, motif used to draw demo photos
    ("che-ca-phe", "Chè và cà phê", "Tea & coffee", "leaves"),
    ("mat-ong", "Mật ong", "Honey", "honey"),
    ("tho-cam-thu-cong", "Thổ cẩm và đồ thủ công", "Brocade & crafts", "brocade"),
    ("gao-mien-hat", "Gạo, miến và các loại hạt", "Rice, noodles & nuts", "grains"),
    ("gia-vi", "Gia vị", "Spices", "stars"),
    ("do-kho", "Đồ khô và dược liệu", "Dried goods & herbs", "slices"),
]

COOPERATIVES = [
    {
        "slug": "htx-che-shan-tuyet-lung-phin",
        "name": "HTX Chè Shan tuyết Lũng Phìn",
        "province": "08",
        "commune": "xã Lũng Phìn",
        "ethnic_groups": "H'Mông",
        "summary": "Chè cổ thụ và mật ong bạc hà từ cao nguyên đá.",
        "story": (
            "Hợp tác xã có 32 hộ người H'Mông, chăm những cây chè Shan tuyết trăm tuổi mọc trên "
            "sườn núi đá. Chè hái tay một tôm hai lá, sao trên chảo gang bằng củi.\n\n"
            "Mùa hoa bạc hà cuối năm, bà con nuôi ong lấy mật. Mỗi gói hàng đều ghi tên hộ làm ra."
        ),
        "name_en": "Lung Phin Shan Tuyet Tea Cooperative",
        "summary_en": "Ancient-tree tea and mint-flower honey from the stone plateau.",
        "story_en": (
            "Thirty-two Hmong families look after hundred-year-old Shan tuyet tea trees on the rocky "
            "slopes. The tea is picked by hand, a bud and two leaves, and roasted in cast-iron pans "
            "over a wood fire.\n\n"
            "When the wild mint flowers at the end of the year, the families keep bees for honey. "
            "Every packet carries the name of the household that made it."
        ),
        "phone": "0912345601",
        "email": "lungphin@example.vn",
        "bank_bin": "970405",
        "bank_account_number": "8800123456789",
        "bank_account_name": "HTX CHE SHAN TUYET LUNG PHIN",
        "shipping_fee": 35000,
        "free_shipping_threshold": 600000,
        "is_verified": True,
    },
    {
        "slug": "htx-det-tho-cam-ta-phin",
        "name": "HTX Dệt thổ cẩm Tả Phìn",
        "province": "15",
        "commune": "xã Tả Phìn",
        "ethnic_groups": "Dao đỏ, H'Mông",
        "summary": "Túi, khăn thêu tay của phụ nữ Dao đỏ và đặc sản rừng Lào Cai.",
        "story": (
            "Chị em người Dao đỏ ở Tả Phìn thêu hoa văn truyền thống vào những buổi tối sau mùa "
            "gặt. Mỗi chiếc túi mất vài ngày thêu tay.\n\n"
            "Hợp tác xã cũng thu mua táo mèo, quế và gạo nếp của bà con các xã lân cận."
        ),
        "name_en": "Ta Phin Brocade Weaving Cooperative",
        "summary_en": "Hand-embroidered bags and scarves by Red Dao women, and forest goods from Lao Cai.",
        "story_en": (
            "Red Dao women in Ta Phin embroider traditional patterns in the evenings after the "
            "harvest. Each bag takes several days of needlework.\n\n"
            "The cooperative also buys wild apples, cinnamon and sticky rice from families in the "
            "neighbouring communes."
        ),
        "phone": "0987654302",
        "email": "taphin@example.vn",
        "bank_bin": "970418",
        "bank_account_number": "21510001234567",
        "bank_account_name": "HTX DET THO CAM TA PHIN",
        "shipping_fee": 30000,
        "free_shipping_threshold": 500000,
        "is_verified": True,
    },
    {
        "slug": "htx-nong-san-ta-xua",
        "name": "HTX Nông sản Tà Xùa",
        "province": "14",
        "commune": "xã Tà Xùa",
        "ethnic_groups": "H'Mông, Thái",
        "summary": "Chè trên mây, khăn piêu và gia vị Tây Bắc.",
        "story": (
            "Tà Xùa quanh năm mây phủ, đồi chè Shan tuyết ở độ cao hơn 1.500 mét. "
            "Các bà, các mẹ người Thái dệt khăn piêu theo mẫu hoa văn riêng của từng bản."
        ),
        "name_en": "Ta Xua Farm Cooperative",
        "summary_en": "Tea from above the clouds, Thai scarves and northwestern spices.",
        "story_en": (
            "Ta Xua lies under cloud all year, with Shan tuyet tea hills above 1,500 metres. Thai "
            "grandmothers and mothers weave piêu scarves in patterns that belong to each village."
        ),
        "phone": "0868123403",
        "email": "",
        "bank_bin": "970436",
        "bank_account_number": "1023456789",
        "bank_account_name": "HTX NONG SAN TA XUA",
        "shipping_fee": 30000,
        "free_shipping_threshold": None,
        "is_verified": True,
    },
    {
        "slug": "htx-dac-san-binh-lieu",
        "name": "HTX Đặc sản Bình Liêu",
        "province": "22",
        "commune": "xã Bình Liêu",
        "ethnic_groups": "Tày, Dao, Sán Chỉ",
        "summary": "Miến dong, chè và hồi, hạt dẻ vùng biên.",
        "story": (
            "Củ dong riềng trồng trên nương, làm miến thủ công và phơi nắng trên những giàn tre. "
            "Hợp tác xã giúp bà con Tày, Dao, Sán Chỉ bán hàng quanh năm thay vì chờ phiên chợ."
        ),
        "name_en": "Binh Lieu Specialties Cooperative",
        "summary_en": "Arrowroot noodles, tea, star anise and chestnuts from the border hills.",
        "story_en": (
            "Arrowroot grows on hillside fields and is made into noodles by hand, dried in the sun on"
            " bamboo racks. The cooperative helps Tay, Dao and San Chi families sell all year round "
            "instead of waiting for market day."
        ),
        "phone": "0903111204",
        "email": "binhlieu@example.vn",
        "bank_bin": "970422",
        "bank_account_number": "0801234567",
        "bank_account_name": "HTX DAC SAN BINH LIEU",
        "shipping_fee": 25000,
        "free_shipping_threshold": 400000,
        "is_verified": True,
    },
    {
        "slug": "htx-ca-phe-buon-ma-thuot",
        "name": "HTX Cà phê Buôn Ma Thuột",
        "province": "66",
        "commune": "phường Buôn Ma Thuột",
        "ethnic_groups": "Ê Đê, K'Ho, Jrai",
        "summary": "Cà phê rang mộc và tiêu đỏ Tây Nguyên.",
        "story": (
            "Các buôn người Ê Đê hái cà phê chín đỏ, phơi trên sân đất và rang mộc không tẩm. "
            "Hợp tác xã kết nối thêm bà con K'Ho trồng Arabica ở Lạc Dương và người Jrai trồng tiêu ở Chư Sê."
        ),
        "name_en": "Buon Ma Thuot Coffee Cooperative",
        "summary_en": "Plain-roasted coffee and red pepper from the Central Highlands.",
        "story_en": (
            "Ede villages pick ripe red coffee cherries, dry them on earth yards and roast them "
            "plain, with nothing added. The cooperative also works with K'Ho Arabica growers in Lac "
            "Duong and Jrai pepper farmers in Chu Se."
        ),
        "phone": "0935222305",
        "email": "caphe@example.vn",
        "bank_bin": "970407",
        "bank_account_number": "19033334444555",
        "bank_account_name": "HTX CA PHE BUON MA THUOT",
        "shipping_fee": 30000,
        "free_shipping_threshold": 500000,
        "is_verified": True,
    },
    {
        "slug": "htx-gom-bau-truc",
        "name": "HTX Gốm Bàu Trúc",
        "province": "56",
        "commune": "xã Ninh Phước",
        "ethnic_groups": "Chăm",
        "summary": "Gốm nặn tay không dùng bàn xoay của người Chăm.",
        "story": (
            "Người Chăm ở Bàu Trúc nặn gốm bằng tay, đi vòng quanh bàn đất, nung lộ thiên bằng rơm và củi. "
            "Mỗi sản phẩm có một vẻ riêng, không cái nào giống cái nào."
        ),
        "name_en": "Bau Truc Pottery Cooperative",
        "summary_en": "Cham pottery shaped by hand, without a wheel.",
        "story_en": (
            "Cham potters in Bau Truc shape the clay by hand, walking round the piece, and fire it in"
            " the open with straw and wood. No two pieces are alike."
        ),
        "phone": "0971333406",
        "email": "",
        "bank_bin": "",
        "bank_account_number": "",
        "bank_account_name": "",
        "shipping_fee": 45000,
        "free_shipping_threshold": None,
        "is_verified": True,
    },
    {
        "slug": "htx-thot-not-tri-ton",
        "name": "HTX Thốt nốt Tri Tôn",
        "province": "91",
        "commune": "xã Tri Tôn",
        "ethnic_groups": "Khmer",
        "summary": "Đường thốt nốt nấu bằng củi của bà con Khmer.",
        "story": (
            "Mỗi sáng sớm, người Khmer trèo những cây thốt nốt cao hơn mười mét để lấy nước, "
            "nấu trong chảo lớn đến khi thành đường vàng thơm."
        ),
        # No English story: the English stall page shows the Vietnamese one.
        "name_en": "Tri Ton Palm Sugar Cooperative",
        "summary_en": "Palm sugar cooked over wood fires by Khmer families.",
        "story_en": "",
        "phone": "0945444507",
        "email": "thotnot@example.vn",
        "bank_bin": "970403",
        "bank_account_number": "060123456789",
        "bank_account_name": "HTX THOT NOT TRI TON",
        "shipping_fee": 30000,
        "free_shipping_threshold": 300000,
        "is_verified": True,
    },
    {
        "slug": "htx-que-tra-bong",
        "name": "HTX Quế Trà Bồng",
        "province": "51",
        "commune": "xã Trà Bồng",
        "ethnic_groups": "Cor",
        "summary": "Quế vỏ của người Cor (đang chờ xác minh).",
        "story": "Hợp tác xã mới lập, đang hoàn thiện hồ sơ để mở gian hàng.",
        "name_en": "Tra Bong Cinnamon Cooperative",
        "summary_en": "Cinnamon bark from the Cor people (awaiting verification).",
        "story_en": "A new cooperative, finishing its papers to open a stall.",
        "phone": "0356555608",
        "email": "",
        "bank_bin": "",
        "bank_account_number": "",
        "bank_account_name": "",
        "shipping_fee": 30000,
        "free_shipping_threshold": None,
        "is_verified": False,
    },
]

# The English of every unit the demo products are sold by. seed_demo gives it to the products
# that have an English summary; the two deliberate fallbacks below keep their Vietnamese unit.
UNITS_EN = {
    "chai 500 ml": "bottle 500 ml",
    "chiếc": "piece",
    "gói 200 g": "pack 200 g",
    "hộp 100 g": "box 100 g",
    "mét": "metre",
    "túi 100 g": "bag 100 g",
    "túi 500 g": "bag 500 g",
    "túi 1 kg": "bag 1 kg",
    "túi 2 kg": "bag 2 kg",
}

# cooperative slug, category slug, name, English name, origin province, commune, people, unit,
# price, stock, OCOP stars, featured, photos, summary, story, English summary, English story.
# Khăn piêu has no English at all and Hạt dẻ Trùng Khánh only an English name, so the English
# site shows how it falls back to Vietnamese.
PRODUCTS = [
    (
        "htx-che-shan-tuyet-lung-phin",
        "che-ca-phe",
        "Chè Shan tuyết cổ thụ Lũng Phìn",
        "Lung Phin ancient Shan tuyet tea",
        "08",
        "Lũng Phìn",
        "H'Mông",
        "gói 200 g",
        250000,
        40,
        4,
        True,
        3,
        "Chè búp hái tay từ cây trăm tuổi, nước vàng sánh, hậu ngọt.",
        "Cây chè mọc trên núi đá vôi, không bón phân, không phun thuốc. Búp chè phủ lông tơ trắng như tuyết "
        "nên người ta gọi là Shan tuyết. Chè được sao tay ngay trong ngày hái.",
        "Hand-picked buds from hundred-year-old trees: golden liquor, sweet finish.",
        "The trees grow on limestone mountains with no fertiliser and no spraying. The buds are "
        "covered in white down like snow, hence the name Shan tuyet. The tea is roasted by hand "
        "on the day it is picked.",
    ),
    (
        "htx-che-shan-tuyet-lung-phin",
        "mat-ong",
        "Mật ong bạc hà Mèo Vạc",
        "Meo Vac mint-flower honey",
        "08",
        "Mèo Vạc",
        "H'Mông",
        "chai 500 ml",
        450000,
        4,
        5,
        True,
        2,
        "Mật từ hoa bạc hà dại nở tím núi đá mỗi cuối năm.",
        "Mỗi năm chỉ có một vụ mật, khi hoa bạc hà nở từ tháng Mười đến tháng Mười hai. "
        "Mật hơi the, thơm mùi hoa, để lâu có thể kết tinh, là dấu hiệu mật thật.",
        "Honey from the wild mint that turns the stone hills purple each winter.",
        "There is only one harvest a year, while the mint flowers from October to December. The "
        "honey is slightly cool on the tongue and smells of flowers; it may crystallise, a sign "
        "of real honey.",
    ),
    (
        "htx-che-shan-tuyet-lung-phin",
        "tho-cam-thu-cong",
        "Vải lanh thổ cẩm",
        "Hemp brocade cloth",
        "08",
        "Quản Bạ",
        "H'Mông",
        "mét",
        350000,
        12,
        None,
        False,
        2,
        "Vải lanh dệt tay, vẽ sáp ong, nhuộm chàm.",
        "Từ cây lanh đến tấm vải mất gần ba tháng: tước sợi, se, dệt, vẽ hoa văn bằng sáp ong rồi nhuộm chàm nhiều lần."
        " Vải càng giặt càng mềm. Mỗi tấm có hoa văn hơi khác nhau vì được vẽ tay.",
        "Hand-woven hemp, drawn with beeswax and dyed with indigo.",
        "From hemp plant to cloth takes almost three months: stripping, spinning, weaving, "
        "drawing patterns in beeswax and dyeing in indigo many times. The cloth softens with "
        "every wash. Each piece differs a little, as the patterns are drawn by hand.",
    ),
    (
        "htx-det-tho-cam-ta-phin",
        "tho-cam-thu-cong",
        "Túi thổ cẩm Dao đỏ",
        "Red Dao embroidered bag",
        "15",
        "Tả Phìn",
        "Dao đỏ",
        "chiếc",
        250000,
        15,
        None,
        True,
        3,
        "Túi đeo vai thêu tay hoa văn Dao đỏ.",
        "Mỗi chiếc túi được thêu bằng chỉ đỏ, vàng trên nền vải chàm, theo những hoa văn bà truyền cho cháu."
        " Một chiếc túi mất ba đến năm buổi tối thêu. Tên người thêu được ghi trên thẻ kèm theo túi.",
        "Shoulder bag hand-embroidered with Red Dao patterns.",
        "Each bag is embroidered in red and yellow thread on indigo cloth, in patterns handed "
        "down from grandmother to granddaughter. One bag takes three to five evenings. The "
        "embroiderer's name is on the tag.",
    ),
    (
        "htx-det-tho-cam-ta-phin",
        "do-kho",
        "Táo mèo sấy",
        "Dried wild apple",
        "15",
        "Mù Cang Chải",
        "H'Mông",
        "túi 500 g",
        80000,
        60,
        3,
        False,
        1,
        "Táo mèo thái lát, sấy khô, ngâm rượu hoặc pha trà.",
        "Táo mèo mọc hoang trên núi cao, chín vàng vào tháng Tám. Bà con hái về, thái lát và sấy bằng lò củi.",
        "Sliced and dried wild apple, for infusing or brewing as tea.",
        "Wild apple trees grow high in the mountains and ripen yellow in August. Families pick "
        "the fruit, slice it and dry it over a wood fire.",
    ),
    (
        "htx-det-tho-cam-ta-phin",
        "gao-mien-hat",
        "Gạo nếp Tú Lệ",
        "Tu Le sticky rice",
        "15",
        "Tú Lệ",
        "Thái",
        "túi 2 kg",
        120000,
        80,
        4,
        True,
        2,
        "Nếp hạt tròn, dẻo thơm, thổi xôi ngon nhất.",
        "Lúa nếp trồng một vụ trên ruộng bậc thang, tưới nước suối. Xôi nếp Tú Lệ để nguội vẫn dẻo.",
        "Round-grain sticky rice, soft and fragrant, the best for xôi.",
        "The rice grows once a year on terraced fields watered by mountain streams. Tu Le sticky "
        "rice stays soft even when cold.",
    ),
    (
        "htx-det-tho-cam-ta-phin",
        "gia-vi",
        "Quế vỏ khô Bắc Hà",
        "Bac Ha dried cinnamon bark",
        "15",
        "Bắc Hà",
        "Dao",
        "túi 500 g",
        90000,
        3,
        None,
        False,
        1,
        "Vỏ quế dày, cay thơm, phơi khô tự nhiên.",
        "Quế được bóc vỏ từ cây trên mười năm tuổi và phơi nắng trên giàn tre."
        " Vỏ dày, nhiều tinh dầu, thơm ấm khi hầm xương hay pha trà. Bà con chỉ bóc vỏ những cây đã đủ tuổi.",
        "Thick cinnamon bark, spicy and fragrant, dried in the sun.",
        "The bark is peeled from trees over ten years old and dried on bamboo racks. It is thick "
        "and rich in oil, warm and fragrant in broths or tea. Families only peel trees that are "
        "old enough.",
    ),
    (
        "htx-nong-san-ta-xua",
        "tho-cam-thu-cong",
        "Khăn piêu",
        "",
        "14",
        "Mộc Châu",
        "Thái",
        "chiếc",
        300000,
        10,
        None,
        False,
        2,
        "Khăn đội đầu thêu tay của phụ nữ Thái.",
        "Khăn piêu là món quà người con gái Thái tự thêu để tặng người thương. Mỗi chiếc thêu mất nhiều tuần.",
        "",
        "",
    ),
    (
        "htx-nong-san-ta-xua",
        "che-ca-phe",
        "Chè Shan tuyết Tà Xùa",
        "Ta Xua Shan tuyet tea",
        "14",
        "Tà Xùa",
        "H'Mông",
        "gói 200 g",
        200000,
        25,
        3,
        True,
        2,
        "Chè trên mây, vị chát nhẹ, hậu ngọt sâu.",
        "Những cây chè cổ trên đỉnh Tà Xùa quanh năm ẩm mây, búp to, nhiều lông tơ."
        " Người H'Mông hái chè vào sáng sớm và sao ngay trong ngày. Nước chè vàng xanh, hậu ngọt kéo dài.",
        "Tea from above the clouds: lightly astringent, with a long sweet finish.",
        "The old trees on the peak of Ta Xua stand in damp cloud all year and grow large, downy "
        "buds. Hmong families pick at dawn and roast the leaves the same day. The liquor is "
        "yellow-green with a lingering sweetness.",
    ),
    (
        "htx-nong-san-ta-xua",
        "gia-vi",
        "Mắc khén rừng",
        "Wild mac khen pepper",
        "11",
        "Tủa Chùa",
        "Thái",
        "túi 100 g",
        60000,
        50,
        None,
        False,
        1,
        "Hạt tiêu rừng thơm tê, linh hồn món nướng Tây Bắc.",
        "Mắc khén hái từ cây rừng vào tháng Mười, phơi khô giữ nguyên chùm."
        " Đây là gia vị quen thuộc của người Thái trong món thịt nướng và chẩm chéo. Giã nhỏ ngay trước khi nấu để giữ mùi thơm.",
        "Wild pepper with a tingling scent, the soul of northwestern grilled dishes.",
        "Mac khen is picked from forest trees in October and dried on the cluster. Thai cooks use"
        " it for grilled meat and chẩm chéo dipping sauce. Grind it just before cooking to keep "
        "the aroma.",
    ),
    (
        "htx-dac-san-binh-lieu",
        "gia-vi",
        "Hoa hồi khô",
        "Dried star anise",
        "20",
        "Văn Quan",
        "Tày, Nùng",
        "túi 500 g",
        150000,
        35,
        None,
        False,
        1,
        "Hồi tám cánh đều, phơi nắng, thơm nồng.",
        "Hồi Lạng Sơn được hái khi quả còn xanh, phơi nắng đến khi cánh chuyển nâu đỏ."
        " Mỗi bông có tám cánh đều, mùi thơm ngọt. Hồi là vị không thể thiếu của nồi nước phở.",
        "Even, eight-pointed star anise, sun-dried and intensely fragrant.",
        "Lang Son star anise is picked green and dried in the sun until the points turn reddish "
        "brown. Each star has eight even points and a sweet scent. No phở broth is made without "
        "it.",
    ),
    (
        "htx-dac-san-binh-lieu",
        "gao-mien-hat",
        "Hạt dẻ Trùng Khánh",
        "Trung Khanh chestnuts",
        "04",
        "Trùng Khánh",
        "Tày, Nùng",
        "túi 1 kg",
        150000,
        0,
        4,
        False,
        2,
        "Hạt dẻ bùi, ngọt, rang hoặc hầm đều ngon.",
        "Hạt dẻ chỉ có vào mùa thu. Khi hết mùa, gian hàng để trạng thái hết hàng đến vụ sau.",
        "",
        "",
    ),
    (
        "htx-dac-san-binh-lieu",
        "gao-mien-hat",
        "Miến dong Bình Liêu",
        "Binh Lieu arrowroot noodles",
        "22",
        "Bình Liêu",
        "Tày, Dao, Sán Chỉ",
        "túi 500 g",
        70000,
        120,
        4,
        True,
        2,
        "Sợi miến dai, trong, không hóa chất.",
        "Tinh bột dong riềng được tráng, phơi, cắt sợi hoàn toàn thủ công."
        " Sợi miến dai, trong, không bở khi nấu. Bà con chỉ làm miến vào mùa khô, khi nắng đủ để phơi.",
        "Chewy, clear noodles with no additives.",
        "Arrowroot starch is spread, dried and cut into noodles entirely by hand. The noodles "
        "stay firm and clear when cooked. Families only make them in the dry season, when there "
        "is sun enough to dry them.",
    ),
    (
        "htx-dac-san-binh-lieu",
        "che-ca-phe",
        "Chè Bình Liêu",
        "Binh Lieu green tea",
        "22",
        "Bình Liêu",
        "Dao",
        "gói 200 g",
        120000,
        30,
        None,
        False,
        1,
        "Chè xanh vùng biên, nước xanh, vị đậm.",
        "Chè trồng trên đồi cao của người Dao Thanh Phán, sao khô bằng chảo gang."
        " Chè được hái một tôm hai lá vào mùa xuân. Nước xanh, vị đậm, uống vài lần nước vẫn thơm.",
        "Green tea from the border hills: bright green liquor, full flavour.",
        "Grown on high hills by the Dao Thanh Phan and dried in cast-iron pans, a bud and two "
        "leaves picked in spring. The liquor is green and full-flavoured, still fragrant after "
        "several infusions.",
    ),
    (
        "htx-ca-phe-buon-ma-thuot",
        "che-ca-phe",
        "Cà phê Robusta Buôn Ma Thuột",
        "Buon Ma Thuot Robusta coffee",
        "66",
        "Buôn Ma Thuột",
        "Ê Đê",
        "túi 500 g",
        120000,
        70,
        4,
        True,
        2,
        "Rang mộc, đậm đắng, hợp pha phin.",
        "Quả cà phê chín đỏ được hái chọn, phơi trên sân đất rồi rang mộc, không bơ, không hương liệu."
        " Các hộ người Ê Đê trồng cà phê xen với cây sầu riêng và tiêu. Rang vừa, vị đắng đậm, hợp pha phin.",
        "Plain-roasted, bold and bitter, made for the phin filter.",
        "Ripe red cherries are hand-picked, dried on earth yards and roasted plain, with no "
        "butter and no flavourings. Ede families grow coffee among durian trees and pepper vines."
        " A medium roast, ideal for the phin.",
    ),
    (
        "htx-ca-phe-buon-ma-thuot",
        "che-ca-phe",
        "Cà phê Arabica Lạc Dương",
        "Lac Duong Arabica coffee",
        "68",
        "Lạc Dương",
        "K'Ho",
        "túi 500 g",
        180000,
        20,
        None,
        False,
        2,
        "Arabica vùng cao, chua thanh, thơm hoa quả.",
        "Người K'Ho trồng cà phê dưới tán rừng thông ở độ cao 1.500 mét.",
        "Highland Arabica: bright acidity, fruity aroma.",
        "K'Ho families grow this coffee under pine forest at 1,500 metres.",
    ),
    (
        "htx-ca-phe-buon-ma-thuot",
        "gia-vi",
        "Tiêu Chư Sê",
        "Chu Se black pepper",
        "52",
        "Chư Sê",
        "Jrai",
        "túi 500 g",
        90000,
        45,
        None,
        False,
        1,
        "Tiêu đen hạt chắc, cay nồng.",
        "Tiêu được trồng trên đất đỏ bazan, hái khi chùm có vài hạt chín đỏ rồi phơi khô."
        " Hạt chắc, cay thơm, được sàng lại bằng tay. Người Jrai trồng tiêu leo trên trụ cây sống.",
        "Dense black peppercorns with a sharp heat.",
        "Grown on red basalt soil, the pepper is picked when a few berries on the cluster turn "
        "red, then sun-dried. The corns are sifted again by hand. Jrai farmers grow the vines up "
        "living trees.",
    ),
    (
        "htx-gom-bau-truc",
        "tho-cam-thu-cong",
        "Gốm Bàu Trúc",
        "Bau Truc pottery",
        "56",
        "Ninh Phước",
        "Chăm",
        "chiếc",
        300000,
        8,
        3,
        True,
        3,
        "Bình gốm nặn tay, nung lộ thiên.",
        "Đất sét lấy từ sông Quao, nặn hoàn toàn bằng tay. Màu gốm loang đỏ, đen do lửa rơm.",
        "Hand-built vase, fired in the open.",
        "The clay comes from the Quao river and is shaped entirely by hand. The open straw fire "
        "leaves patches of red and black.",
    ),
    (
        "htx-thot-not-tri-ton",
        "do-kho",
        "Đường thốt nốt",
        "Palm sugar",
        "91",
        "Tri Tôn",
        "Khmer",
        "túi 1 kg",
        90000,
        100,
        3,
        False,
        2,
        "Đường nấu từ nước thốt nốt, ngọt thanh, thơm.",
        "Nước thốt nốt được nấu ngay trong ngày để giữ vị ngọt thanh, không pha đường tinh luyện."
        " Người Khmer leo cây thốt nốt lấy nước từ sáng sớm. Đường có màu vàng nâu và thơm mùi khói bếp.",
        "Sugar cooked from palmyra palm sap, gently sweet and fragrant.",
        "The sap is cooked the day it is collected, with no refined sugar added. Khmer men climb "
        "the palms at dawn to collect it. The sugar is golden brown and smells of wood smoke.",
    ),
    (
        "htx-que-tra-bong",
        "gia-vi",
        "Quế Trà Bồng",
        "Tra Bong cinnamon",
        "51",
        "Trà Bồng",
        "Cor",
        "túi 500 g",
        100000,
        30,
        None,
        False,
        1,
        "Quế vỏ dày của người Cor.",
        "Quế Trà Bồng nổi tiếng vị cay ngọt, tinh dầu nhiều."
        " Người Cor trồng quế trên núi, bóc vỏ khi cây đủ mười lăm năm tuổi. Vỏ quế được cuộn và phơi dưới nắng nhẹ.",
        "Thick cinnamon bark from the Cor people.",
        "Tra Bong cinnamon is known for its sweet heat and rich oil. The Cor grow it on the "
        "mountains and peel the bark when the trees reach fifteen years. The bark is rolled and "
        "dried in gentle sun.",
    ),
    (
        "htx-nong-san-ta-xua",
        "mat-ong",
        "Mật ong hoa rừng Tà Xùa",
        "Ta Xua wild-flower honey",
        "14",
        "Tà Xùa",
        "H'Mông",
        "chai 500 ml",
        320000,
        18,
        None,
        False,
        1,
        "Mật ong nuôi trong rừng già, nhiều loài hoa.",
        "Đàn ong được đặt trong rừng chè cổ thụ, lấy mật từ hoa rừng và hoa chè."
        " Mật được quay một lần mỗi mùa, không pha đường, không cô đặc. Mật sánh, màu hổ phách, hơi đắng nhẹ ở hậu.",
        "Honey from hives in old forest, from many kinds of flowers.",
        "The hives stand among ancient tea trees, gathering from forest flowers and tea blossom. "
        "The honey is spun once a season, with no sugar added and nothing boiled off. It is thick"
        " and amber, faintly bitter at the end.",
    ),
    (
        "htx-che-shan-tuyet-lung-phin",
        "che-ca-phe",
        "Hồng trà Shan tuyết",
        "Shan tuyet black tea",
        "08",
        "Lũng Phìn",
        "H'Mông",
        "hộp 100 g",
        180000,
        14,
        None,
        False,
        1,
        "Chè Shan tuyết lên men, vị mật ong, nước đỏ hổ phách.",
        "Búp chè được vò, ủ lên men rồi sấy, cho nước đỏ và vị ngọt như mật."
        " Bà con H'Mông Lũng Phìn làm hồng trà từ búp chè Shan tuyết cổ thụ. Uống nóng hay pha lạnh đều ngon.",
        "Fermented Shan tuyet tea with honey notes and a red amber liquor.",
        "The buds are rolled, fermented and dried, giving a red liquor and a honey-like "
        "sweetness. Hmong families in Lung Phin make this black tea from ancient Shan tuyet "
        "trees. Good hot or cold-brewed.",
    ),
]
