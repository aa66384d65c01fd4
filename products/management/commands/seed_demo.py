"""Fill the market with demo cooperatives, categories and products (safe to run again)."""

import io
import math
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw

from products.demo_data import CATEGORIES, COOPERATIVES, PRODUCTS, UNITS_EN
from products.models import Category, Cooperative, Membership, Product, ProductImage

PALETTES = {
    "leaves": ((58, 94, 52), (120, 168, 88)),
    "honey": ((176, 112, 20), (244, 197, 66)),
    "brocade": ((30, 42, 92), (196, 40, 52)),
    "grains": ((214, 200, 160), (250, 244, 224)),
    "stars": ((110, 52, 30), (196, 120, 64)),
    "slices": ((150, 80, 40), (232, 180, 110)),
    "logo": ((47, 93, 58), (244, 197, 66)),
    "cover": ((70, 110, 90), (200, 220, 190)),
}
DEMO_PASSWORD = "chophien2026"  # noqa: S105 (printed demo login, DEBUG only)


def draw_photo(motif: str, seed: str, size=(1200, 900)) -> bytes:
    """A simple, recognisable picture drawn with Pillow so nothing is downloaded."""
    rng = random.Random(seed)
    dark, light = PALETTES.get(motif, PALETTES["leaves"])
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    width, height = size
    for y in range(0, height, 6):
        t = y / height
        colour = tuple(int(light[i] * (1 - t * 0.35) + dark[i] * t * 0.35) for i in range(3))
        draw.rectangle([0, y, width, y + 6], fill=colour)
    for _ in range(rng.randint(9, 16)):
        x, y = rng.randint(0, width), rng.randint(0, height)
        r = rng.randint(40, 130)
        shade = tuple(max(0, min(255, c + rng.randint(-25, 25))) for c in dark)
        if motif == "leaves":
            draw.ellipse([x - r, y - r // 2, x + r, y + r // 2], fill=shade)
            draw.line([x - r, y, x + r, y], fill=light, width=4)
        elif motif == "honey":
            points = [(x + r * math.cos(a), y + r * math.sin(a)) for a in [i * math.pi / 3 for i in range(6)]]
            draw.polygon(points, fill=shade, outline=light)
        elif motif == "brocade":
            draw.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=shade, outline=(244, 197, 66))
            draw.polygon(
                [(x, y - r // 2), (x + r // 2, y), (x, y + r // 2), (x - r // 2, y)], fill=(244, 197, 66)
            )
        elif motif == "grains":
            draw.ellipse([x - r // 3, y - r // 6, x + r // 3, y + r // 6], fill=(255, 255, 250), outline=dark)
        elif motif == "stars":
            points = []
            for i in range(16):
                angle = i * math.pi / 8
                radius = r if i % 2 == 0 else r * 0.4
                points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
            draw.polygon(points, fill=shade)
        else:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=shade, outline=light, width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _stale_photo_alts(name: str, photo_count: int) -> set[str]:
    """Descriptions older seeds stored ("Name (1)", "Name, ảnh 2"): they named the photo only in
    Vietnamese, where an empty one lets each page say "Name, photo 2" in its own language."""
    numbers = range(1, photo_count + 1)
    return {name} | {f"{name} ({n})" for n in numbers} | {f"{name}, ảnh {n}" for n in numbers}


def _fill_english(obj, data: dict) -> None:
    """Give a demo row seeded before it had English texts the ones it lacks; what someone typed stays.

    Saving also rebuilds a product's search text (and a stall's products'), so English finds them.
    """
    fields = ("name_en", "summary_en", "story_en", "unit_en")
    missing = [f for f in fields if data.get(f) and not getattr(obj, f)]
    for field in missing:
        setattr(obj, field, data[field])
    if missing:
        obj.save()


class Command(BaseCommand):
    help = "Create the demo market. Running it again only fills what is missing (such as English texts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-photos", action="store_true", help="Draw no photos (for tests and benchmarks of text)."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        photos = not options["no_photos"]
        categories = {}
        motifs = {}
        for position, (slug, name, name_en, motif) in enumerate(CATEGORIES):
            category, _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
            )
            categories[slug] = category
            motifs[slug] = motif

        cooperatives = {}
        for data in COOPERATIVES:
            defaults = {k: v for k, v in data.items() if k != "slug"}
            cooperative, created = Cooperative.objects.get_or_create(slug=data["slug"], defaults=defaults)
            if not created:
                _fill_english(cooperative, data)
            if created and photos:
                cooperative.logo = SimpleUploadedFile(
                    f"{data['slug']}-logo.jpg", draw_photo("logo", data["slug"], (400, 400))
                )
                cooperative.cover = SimpleUploadedFile(
                    f"{data['slug']}-cover.jpg", draw_photo("cover", data["slug"], (1200, 400))
                )
                cooperative.save()
            cooperatives[data["slug"]] = cooperative

        created_products = 0
        for row in PRODUCTS:
            (
                coop_slug,
                category_slug,
                name,
                name_en,
                province,
                commune,
                people,
                unit,
                price,
                stock,
                ocop,
                featured,
                photo_count,
                summary,
                story,
                summary_en,
                story_en,
            ) = row
            unit_en = UNITS_EN[unit] if summary_en else ""
            product, created = Product.objects.get_or_create(
                cooperative=cooperatives[coop_slug],
                name=name,
                defaults={
                    "category": categories[category_slug],
                    "name_en": name_en,
                    "origin_province": province,
                    "origin_commune": commune,
                    "ethnic_group": people,
                    "unit": unit,
                    "unit_en": unit_en,
                    "price": price,
                    "stock": stock,
                    "ocop_stars": ocop,
                    "is_featured": featured,
                    "summary": summary,
                    "story": story,
                    "summary_en": summary_en,
                    "story_en": story_en,
                },
            )
            if not created:
                english = {"name_en": name_en, "summary_en": summary_en, "story_en": story_en}
                # The demo's English unit names the demo's size; after someone changed the size it
                # would be wrong.
                if product.unit == unit:
                    english["unit_en"] = unit_en
                _fill_english(product, english)
            created_products += created
            if photos and not product.images.exists():
                for position in range(photo_count):
                    ProductImage.objects.create(
                        product=product,
                        image=SimpleUploadedFile(
                            f"{product.slug}-{position + 1}.jpg",
                            draw_photo(motifs[category_slug], f"{product.slug}-{position}"),
                        ),
                        position=position,
                    )
            elif photos:
                product.images.filter(alt_text__in=_stale_photo_alts(name, photo_count)).update(alt_text="")

        self.stdout.write(
            f"Demo market: {len(categories)} categories, {len(cooperatives)} cooperatives, "
            f"{Product.objects.count()} products ({created_products} new)."
        )
        if settings.DEBUG:
            self._demo_accounts(cooperatives)
        else:
            self.stdout.write("DEBUG is off: no demo accounts were created.")

    def _demo_accounts(self, cooperatives):
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.vn"}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        lines = [f"  admin          / {DEMO_PASSWORD}   (Django admin: /admin/)"]
        for index, cooperative in enumerate(cooperatives.values(), start=1):
            username = f"sx{index}"
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": cooperative.name, "email": cooperative.email}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Membership.objects.get_or_create(
                user=user, cooperative=cooperative, defaults={"role": Membership.Role.OWNER}
            )
            lines.append(f"  {username:<14} / {DEMO_PASSWORD}   ({cooperative.name})")
        self.stdout.write("Demo logins (DEBUG only):\n" + "\n".join(lines))
