-- @platform/commerce on PostgreSQL: the seed's tables (users, addresses, categories, products,
-- product_images, product_attributes, orders, order_items, cart and its index names) extended
-- for our model, plus commerce_* tables. Ids are our prefixed text ids, compared bytewise
-- (COLLATE "C") so keyset cursors order them as the memory store does. Money is numeric at
-- the currency's scale next to a char(3) currency column.

-- Text folding for search: unaccent when the server ships it, else a translate() fallback.
-- Both are wrapped in an IMMUTABLE function so they can feed stored tsvectors and indexes.
-- Names are schema-qualified: index builds run with a restricted search_path.
DO $fold$
DECLARE
  ext_schema text;
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS unaccent;
    SELECT quote_ident(n.nspname) INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
    EXECUTE format($f$CREATE FUNCTION commerce_fold(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS 'SELECT pg_catalog.lower(%1$s.unaccent(''%1$s.unaccent''::regdictionary, value))'$f$, ext_schema);
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'unaccent is not available (%), folding accents with translate()', SQLERRM;
    EXECUTE $f$CREATE FUNCTION commerce_fold(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS 'SELECT pg_catalog.lower(pg_catalog.translate(value,
        ''ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ'',
        ''AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy''))'$f$;
  END;
END
$fold$;

CREATE TABLE users (
  id text COLLATE "C" PRIMARY KEY,
  email varchar(255) NOT NULL,
  name varchar(255) NOT NULL,
  password_hash jsonb NOT NULL,
  phone varchar(30),
  roles text[] NOT NULL DEFAULT '{customer}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version > 0)
);
-- Emails are stored normalised; the unique index on lower() refuses case variants anyway.
CREATE UNIQUE INDEX idx_users_email ON users (lower(email));

CREATE TABLE addresses (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name varchar(200) NOT NULL,
  street varchar(200) NOT NULL,
  street2 varchar(200),
  city varchar(100) NOT NULL,
  state varchar(100),
  zip_code varchar(20) NOT NULL,
  country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  phone varchar(30),
  is_default_shipping boolean NOT NULL DEFAULT false,
  is_default_billing boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
);
CREATE INDEX commerce_addresses_user ON addresses (user_id, created_at, id);

CREATE TABLE categories (
  id text COLLATE "C" PRIMARY KEY,
  name varchar(120) NOT NULL,
  slug varchar(120) NOT NULL,
  parent_id text COLLATE "C" REFERENCES categories (id),
  path text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  CONSTRAINT categories_slug_key UNIQUE (slug),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX commerce_categories_parent ON categories (parent_id);
CREATE INDEX commerce_categories_path ON categories USING gin (path);

CREATE TABLE products (
  id text COLLATE "C" PRIMARY KEY,
  sku varchar(64) NOT NULL,
  name varchar(200) NOT NULL,
  description text NOT NULL DEFAULT '',
  price numeric NOT NULL CHECK (price > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Price in minor units: the sort key of price orders and cursors (same as the memory store).
  price_minor bigint NOT NULL,
  category_id text COLLATE "C" REFERENCES categories (id),
  status text NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  -- name (A) over description and SKUs (B) over attributes and variant options (C), folded.
  search tsvector NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX idx_products_category ON products (category_id);
CREATE UNIQUE INDEX idx_products_sku ON products (upper(sku));
CREATE INDEX commerce_products_search ON products USING gin (search);
CREATE INDEX commerce_products_price ON products (price_minor, id) WHERE status = 'active';
CREATE INDEX commerce_products_newest ON products (created_at, id) WHERE status = 'active';
CREATE INDEX commerce_products_browse ON products (id) WHERE status = 'active';

CREATE TABLE product_images (
  product_id text COLLATE "C" NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position >= 0),
  image_url varchar(2048) NOT NULL,
  alt_text varchar(300) NOT NULL DEFAULT '',
  is_primary boolean NOT NULL DEFAULT false,
  PRIMARY KEY (product_id, position)
);
CREATE UNIQUE INDEX commerce_product_images_one_primary ON product_images (product_id) WHERE is_primary;

CREATE TABLE product_attributes (
  product_id text COLLATE "C" NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  attribute_name varchar(60) NOT NULL,
  attribute_value varchar(300) NOT NULL,
  PRIMARY KEY (product_id, attribute_name)
);
CREATE INDEX commerce_product_attributes_value ON product_attributes (attribute_name, commerce_fold(attribute_value));

CREATE TABLE commerce_product_variants (
  id text COLLATE "C" PRIMARY KEY,
  product_id text COLLATE "C" NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  position integer NOT NULL,
  sku varchar(64) NOT NULL,
  price numeric CHECK (price > 0),
  currency char(3),
  options jsonb NOT NULL DEFAULT '{}',
  CHECK ((price IS NULL) = (currency IS NULL))
);
CREATE INDEX commerce_product_variants_product ON commerce_product_variants (product_id, position);

-- Every SKU (products' and variants'), unique case-insensitively across the catalog.
CREATE TABLE commerce_skus (
  sku text COLLATE "C" PRIMARY KEY CHECK (sku = upper(sku)),
  product_id text COLLATE "C" NOT NULL REFERENCES products (id) ON DELETE CASCADE
) ;
CREATE INDEX commerce_skus_product ON commerce_skus (product_id);

CREATE TABLE commerce_stock_levels (
  key text COLLATE "C" PRIMARY KEY,
  product_id text COLLATE "C" NOT NULL,
  variant_id text COLLATE "C",
  on_hand integer NOT NULL DEFAULT 0,
  reserved integer NOT NULL DEFAULT 0,
  sold integer NOT NULL DEFAULT 0,
  received integer NOT NULL DEFAULT 0,
  adjusted integer NOT NULL DEFAULT 0,
  low_stock_threshold integer NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
  updated_at timestamptz NOT NULL,
  CONSTRAINT commerce_stock_on_hand_non_negative CHECK (on_hand >= 0),
  CONSTRAINT commerce_stock_reserved_non_negative CHECK (reserved >= 0),
  CONSTRAINT commerce_stock_reserved_within_on_hand CHECK (reserved <= on_hand),
  CONSTRAINT commerce_stock_sold_non_negative CHECK (sold >= 0),
  CONSTRAINT commerce_stock_balance CHECK (on_hand + sold = received + adjusted)
);
CREATE INDEX commerce_stock_levels_product ON commerce_stock_levels (product_id) WHERE on_hand > reserved;

CREATE TABLE commerce_stock_adjustments (
  id text COLLATE "C" PRIMARY KEY,
  key text COLLATE "C" NOT NULL REFERENCES commerce_stock_levels (key),
  delta integer NOT NULL CHECK (delta <> 0),
  reason text NOT NULL CHECK (reason IN ('received', 'returned', 'damaged', 'lost', 'correction')),
  note varchar(500),
  at timestamptz NOT NULL
);
CREATE INDEX commerce_stock_adjustments_key ON commerce_stock_adjustments (key, at);

CREATE TABLE commerce_reservations (
  id text COLLATE "C" PRIMARY KEY,
  order_id text COLLATE "C",
  status text NOT NULL CHECK (status IN ('active', 'committed', 'released', 'expired')),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX commerce_reservations_due ON commerce_reservations (expires_at) WHERE status = 'active';

CREATE TABLE commerce_reservation_lines (
  reservation_id text COLLATE "C" NOT NULL REFERENCES commerce_reservations (id) ON DELETE CASCADE,
  key text COLLATE "C" NOT NULL REFERENCES commerce_stock_levels (key),
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (reservation_id, key)
);

CREATE TABLE orders (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL,
  status varchar(50) NOT NULL CHECK (status IN ('pending', 'paid', 'partially_fulfilled', 'fulfilled', 'shipped', 'delivered', 'canceled', 'refunded')),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  subtotal numeric NOT NULL CHECK (subtotal >= 0),
  shipping numeric NOT NULL CHECK (shipping >= 0),
  tax numeric NOT NULL CHECK (tax >= 0),
  total numeric NOT NULL CHECK (total >= 0),
  shipping_address jsonb,
  billing_address jsonb,
  reservation_id text COLLATE "C",
  idempotency_key varchar(255) NOT NULL,
  request_fingerprint text NOT NULL,
  payment_reference text,
  payment_status text NOT NULL CHECK (payment_status IN ('pending', 'succeeded', 'failed', 'refund_pending', 'refunded')),
  payment_failure_code text,
  tracking_number varchar(100),
  cancel_reason varchar(200),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  CHECK (total = subtotal + shipping + tax),
  CONSTRAINT orders_idempotency_key_unique UNIQUE (user_id, idempotency_key)
);
CREATE INDEX idx_orders_user_id ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX idx_orders_status ON orders (status);

CREATE TABLE order_items (
  order_id text COLLATE "C" NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line_id text COLLATE "C" NOT NULL,
  position integer NOT NULL,
  product_id text COLLATE "C" NOT NULL,
  variant_id text COLLATE "C",
  sku varchar(64) NOT NULL,
  name varchar(200) NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  price numeric NOT NULL CHECK (price >= 0),
  total numeric NOT NULL CHECK (total >= 0),
  currency char(3) NOT NULL,
  fulfilled_quantity integer NOT NULL DEFAULT 0 CHECK (fulfilled_quantity >= 0 AND fulfilled_quantity <= quantity),
  PRIMARY KEY (order_id, line_id)
);
CREATE INDEX idx_order_items_order_id ON order_items (order_id, position);

-- One row per cart (the seed's `cart` held lines; ours are in commerce_cart_lines).
CREATE TABLE cart (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version > 0)
);
-- One open cart per customer; guest carts (user_id NULL) are not constrained.
CREATE UNIQUE INDEX idx_cart_user_id ON cart (user_id);

CREATE TABLE commerce_cart_lines (
  cart_id text COLLATE "C" NOT NULL REFERENCES cart (id) ON DELETE CASCADE,
  position integer NOT NULL,
  product_id text COLLATE "C" NOT NULL REFERENCES products (id),
  variant_id text COLLATE "C",
  quantity integer NOT NULL CHECK (quantity > 0 AND quantity <= 999),
  added_unit_price numeric NOT NULL,
  currency char(3) NOT NULL,
  PRIMARY KEY (cart_id, position)
);

-- Sessions: only the SHA-256 of the token is stored.
CREATE TABLE commerce_sessions (
  token_hash text COLLATE "C" PRIMARY KEY,
  customer_id text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX commerce_sessions_customer ON commerce_sessions (customer_id) WHERE revoked_at IS NULL;

CREATE TABLE commerce_login_throttles (
  email text PRIMARY KEY,
  failures integer NOT NULL CHECK (failures >= 0),
  window_started_at timestamptz NOT NULL,
  locked_until timestamptz
);

-- Durable notification jobs: one row per (event, channel); delivered at least once, each
-- with its own stable id that senders pass on (Message-ID, provider idempotency key).
CREATE TABLE commerce_notifications (
  id text COLLATE "C" PRIMARY KEY,
  event_id text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  template text NOT NULL,
  recipient text NOT NULL,
  message jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  CONSTRAINT commerce_notifications_once UNIQUE (event_id, channel)
);
CREATE INDEX commerce_notifications_due ON commerce_notifications (next_attempt_at) WHERE status = 'pending';
