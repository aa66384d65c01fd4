"""Full-text indexes behind the catalogue search, one per database vendor.

SQLite: an FTS5 table over the folded columns, "external content" (it stores only the index and
reads the text from products_product), kept in sync by triggers, so every write path (save,
bulk_update, delete, raw SQL) updates it. PostgreSQL: a generated column
to_tsvector('simple', search_text) with a GIN index; the text is already folded, so 'simple' (no
stemming, no stop words) gives exactly our words. Both follow every write without application code.

Each also has a vocabulary, the words the index holds, for correcting a buyer's typo
(products/search.py): on SQLite an fts5vocab table reads them straight from the FTS5 index; on
PostgreSQL a table of words kept by triggers from each row's tsvector.
"""

import sqlite3
from functools import cache

from storefront.lib.catalogue_cache import catalogue_changed

SQLITE_TABLE = "products_product_fts"
SQLITE_TRIGGERS = {
    "products_product_fts_ai": """
        CREATE TRIGGER IF NOT EXISTS products_product_fts_ai AFTER INSERT ON products_product BEGIN
            INSERT INTO products_product_fts (rowid, search_name, search_text)
            VALUES (new.id, new.search_name, new.search_text);
        END""",
    "products_product_fts_ad": """
        CREATE TRIGGER IF NOT EXISTS products_product_fts_ad AFTER DELETE ON products_product BEGIN
            INSERT INTO products_product_fts (products_product_fts, rowid, search_name, search_text)
            VALUES ('delete', old.id, old.search_name, old.search_text);
        END""",
    # Stock and price change far more often than words: only a change of the text re-indexes.
    "products_product_fts_au": """
        CREATE TRIGGER IF NOT EXISTS products_product_fts_au AFTER UPDATE OF search_name, search_text
        ON products_product
        WHEN old.search_name IS NOT new.search_name OR old.search_text IS NOT new.search_text
        BEGIN
            INSERT INTO products_product_fts (products_product_fts, rowid, search_name, search_text)
            VALUES ('delete', old.id, old.search_name, old.search_text);
            INSERT INTO products_product_fts (rowid, search_name, search_text)
            VALUES (new.id, new.search_name, new.search_text);
        END""",
}
# unicode61 without diacritic removal: the columns are folded already, and both sides of a match
# go through the same tokenizer, so "a_b" is the phrase "a b" in the index and in the query.
SQLITE_CREATE_TABLE = f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(
        search_name, search_text,
        content='products_product', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )"""

MIGRATION = "0003_search_full_text"  # the migration that installs the indexes

SQLITE_WORDS = "products_product_fts_words"
SQLITE_CREATE_WORDS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_WORDS} USING fts5vocab({SQLITE_TABLE}, 'row')"
)

# A stored tsvector column, not an index on the to_tsvector() expression: with the expression the
# planner, seeing LIMIT, may prefer a sequential scan that re-parses every row's text (~70 µs each);
# a stored column makes that path cheap too. The model does not know the column (the database
# fills it), so changing search_text's type later needs this column dropped first.
PG_COLUMN = "search_tsv"
PG_INDEX = "products_product_search_tsv"
PG_INSTALL = [
    f"ALTER TABLE products_product ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON products_product USING gin ({PG_COLUMN})",
    # The planner needs statistics on the new column to choose the index well.
    "ANALYZE products_product",
]

PG_WORDS = "products_search_word"
# Kept exact, so both databases correct a typo alike: a new word is added (ON CONFLICT DO NOTHING
# takes no lock on a word already there, so saves at once never wait on each other for a common
# word); a word a deletion or an edit took away goes when no product holds it any more, checked
# on the GIN index with the word as a constant, so the planner sees how common it is. Inserts and
# deletions are handled per statement (bulk_create writes a batch in one go); an update only when
# the words changed, so a stock or price change costs nothing.
PG_WORDS_INSTALL = [
    'CREATE TABLE IF NOT EXISTS products_search_word (word text COLLATE "C" PRIMARY KEY)',
    """CREATE OR REPLACE FUNCTION products_search_word_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        gone text;
        held boolean;
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM products_search_word;
            RETURN NULL;
        END IF;
        IF TG_OP = 'INSERT' THEN
            INSERT INTO products_search_word (word)
            SELECT DISTINCT unnest(tsvector_to_array(search_tsv)) FROM new_rows ORDER BY 1
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO products_search_word (word)
            SELECT DISTINCT unnest(tsvector_to_array(NEW.search_tsv)) ORDER BY 1
            ON CONFLICT DO NOTHING;
            CREATE TEMP TABLE IF NOT EXISTS products_search_word_gone (word text) ON COMMIT DROP;
            DELETE FROM products_search_word_gone;
            INSERT INTO products_search_word_gone
            SELECT unnest(tsvector_to_array(OLD.search_tsv))
            EXCEPT SELECT unnest(tsvector_to_array(NEW.search_tsv));
        ELSE
            CREATE TEMP TABLE IF NOT EXISTS products_search_word_gone (word text) ON COMMIT DROP;
            DELETE FROM products_search_word_gone;
            INSERT INTO products_search_word_gone
            SELECT DISTINCT unnest(tsvector_to_array(search_tsv)) FROM old_rows;
        END IF;
        FOR gone IN SELECT word FROM products_search_word_gone ORDER BY 1 LOOP
            EXECUTE format(
                'SELECT EXISTS (SELECT 1 FROM products_product '
                'WHERE search_tsv @@ to_tsquery(''simple'', %L))',
                quote_literal(gone)
            ) INTO held;
            IF NOT held THEN
                DELETE FROM products_search_word WHERE word = gone;
            END IF;
        END LOOP;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS products_search_word_ai ON products_product",
    """CREATE TRIGGER products_search_word_ai AFTER INSERT ON products_product
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION products_search_word_sync()""",
    "DROP TRIGGER IF EXISTS products_search_word_ad ON products_product",
    """CREATE TRIGGER products_search_word_ad AFTER DELETE ON products_product
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION products_search_word_sync()""",
    "DROP TRIGGER IF EXISTS products_search_word_au ON products_product",
    """CREATE TRIGGER products_search_word_au AFTER UPDATE OF search_text ON products_product
    FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text)
    EXECUTE FUNCTION products_search_word_sync()""",
    "DROP TRIGGER IF EXISTS products_search_word_at ON products_product",
    """CREATE TRIGGER products_search_word_at AFTER TRUNCATE ON products_product
    FOR EACH STATEMENT EXECUTE FUNCTION products_search_word_sync()""",
    """INSERT INTO products_search_word (word) SELECT DISTINCT unnest(tsvector_to_array(search_tsv))
    FROM products_product ORDER BY 1 ON CONFLICT DO NOTHING""",
]
WORDS_MIGRATION = "0013_search_words"  # the migration that installs the vocabularies


@cache
def sqlite_has_fts5() -> bool:
    """Whether this Python's SQLite library was built with FTS5 (almost all are; check anyway)."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.Error:
        return False
    return True


def install(connection) -> None:
    """Create the index for this database (idempotent), filled from the rows already there."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in PG_INSTALL:
                cursor.execute(sql)
        elif connection.vendor == "sqlite" and sqlite_has_fts5():
            cursor.execute(SQLITE_CREATE_TABLE)
            for sql in SQLITE_TRIGGERS.values():
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('rebuild')")  # noqa: S608


def install_words(connection) -> None:
    """Create the vocabulary for this database (idempotent), holding the words already indexed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in PG_WORDS_INSTALL:
                cursor.execute(sql)
        elif connection.vendor == "sqlite" and sqlite_has_fts5():
            cursor.execute(SQLITE_CREATE_WORDS)


def uninstall_words(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for suffix in ("ai", "ad", "au", "at"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {PG_WORDS}_{suffix} ON products_product")
            cursor.execute(f"DROP FUNCTION IF EXISTS {PG_WORDS}_sync()")
            cursor.execute(f"DROP TABLE IF EXISTS {PG_WORDS}")
        elif connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_WORDS}")


def words_known(connection, candidates: list[str]) -> set[str]:
    """Which of `candidates` the index holds."""
    if not candidates:
        return set()
    if connection.vendor == "postgresql":
        sql, params = f"SELECT word FROM {PG_WORDS} WHERE word = ANY(%s)", [candidates]  # noqa: S608
    else:
        placeholders = ", ".join(["%s"] * len(candidates))
        sql, params = f"SELECT term FROM {SQLITE_WORDS} WHERE term IN ({placeholders})", candidates  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def words_start_with(connection, prefix: str) -> bool:
    """Whether some indexed word starts with `prefix` (both vocabularies sort by code point)."""
    column, table = ("word", PG_WORDS) if connection.vendor == "postgresql" else ("term", SQLITE_WORDS)
    sql = f"SELECT 1 FROM {table} WHERE {column} >= %s AND {column} < %s LIMIT 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, prefix + "\uffff"])
        return cursor.fetchone() is not None


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
            cursor.execute(f"ALTER TABLE products_product DROP COLUMN IF EXISTS {PG_COLUMN}")
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")


def sqlite_repair(connection) -> bool:
    """Recreate the FTS table or its triggers if missing, and re-index. True when it had to.

    On SQLite, Django applies many field changes by copying products_product into a new table
    and dropping the old one, which silently drops the triggers; this runs after every migrate.
    """
    from django.db.migrations.recorder import MigrationRecorder

    if connection.vendor != "sqlite" or not sqlite_has_fts5():
        return False
    applied = MigrationRecorder(connection).applied_migrations()
    if ("products", MIGRATION) not in applied:
        return False
    with_words = ("products", WORDS_MIGRATION) in applied
    wanted = {SQLITE_TABLE, *SQLITE_TRIGGERS} | ({SQLITE_WORDS} if with_words else set())
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(wanted))
        sql = f"SELECT name FROM sqlite_master WHERE name IN ({placeholders})"  # noqa: S608
        cursor.execute(sql, sorted(wanted))
        present = {row[0] for row in cursor.fetchall()}
    if present == wanted:
        return False
    install(connection)
    if with_words:
        install_words(connection)
    catalogue_changed()
    return True
