"""General helpers of Chợ Phiên that know nothing of its apps.

Everything here imports only the standard library, Django and third-party packages, never
`products`, `orders` or the rest of `storefront` (checked by import-linter in `make lint`), so both
apps and the project can use it without import cycles.
"""
