-- Money sits at its currency's scale (ISO 4217 minor units, as core's Money): the database
-- refuses an amount with another number of decimals, or a currency it does not know.
CREATE FUNCTION commerce_minor_units(currency text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT CASE
      WHEN currency = ANY ('{BIF,CLP,DJF,GNF,ISK,JPY,KMF,KRW,PYG,RWF,UGX,UYI,VND,VUV,XAF,XOF,XPF}'::text[]) THEN 0
      WHEN currency = ANY ('{BHD,IQD,JOD,KWD,LYD,OMR,TND}'::text[]) THEN 3
      WHEN currency = ANY ('{CLF,UYW}'::text[]) THEN 4
      WHEN currency = ANY ('{AED,AFN,ALL,AMD,ANG,AOA,ARS,AUD,AWG,AZN,BAM,BBD,BDT,BGN,BMD,BND,BOB,BOV,BRL,BSD,BTN,BWP,BYN,BZD,CAD,CDF,CHE,CHF,CHW,CNY,COP,COU,CRC,CUP,CVE,CZK,DKK,DOP,DZD,EGP,ERN,ETB,EUR,FJD,FKP,GBP,GEL,GHS,GIP,GMD,GTQ,GYD,HKD,HNL,HTG,HUF,IDR,ILS,INR,IRR,JMD,KES,KGS,KHR,KPW,KYD,KZT,LAK,LBP,LKR,LRD,LSL,MAD,MDL,MGA,MKD,MMK,MNT,MOP,MRU,MUR,MVR,MWK,MXN,MXV,MYR,MZN,NAD,NGN,NIO,NOK,NPR,NZD,PAB,PEN,PGK,PHP,PKR,PLN,QAR,RON,RSD,RUB,SAR,SBD,SCR,SDG,SEK,SGD,SHP,SLE,SOS,SRD,SSP,STN,SVC,SYP,SZL,THB,TJS,TMT,TOP,TRY,TTD,TWD,TZS,UAH,USD,USN,UYU,UZS,VED,VES,WST,XCD,XCG,YER,ZAR,ZMW,ZWG}'::text[]) THEN 2
    END
  $$;

ALTER TABLE products ADD CONSTRAINT products_money_scale
  CHECK (scale(price) = coalesce(commerce_minor_units(currency), -1) AND price_minor = price * power(10::numeric, commerce_minor_units(currency)));
ALTER TABLE commerce_product_variants ADD CONSTRAINT commerce_variants_money_scale
  CHECK (price IS NULL OR scale(price) = coalesce(commerce_minor_units(currency), -1));
ALTER TABLE orders ADD CONSTRAINT orders_money_scale
  CHECK (scale(subtotal) = coalesce(commerce_minor_units(currency), -1) AND scale(shipping) = coalesce(commerce_minor_units(currency), -1)
     AND scale(tax) = coalesce(commerce_minor_units(currency), -1) AND scale(total) = coalesce(commerce_minor_units(currency), -1));
ALTER TABLE order_items ADD CONSTRAINT order_items_money_scale
  CHECK (scale(price) = coalesce(commerce_minor_units(currency), -1) AND scale(total) = coalesce(commerce_minor_units(currency), -1) AND total = price * quantity);
ALTER TABLE commerce_cart_lines ADD CONSTRAINT commerce_cart_lines_money_scale
  CHECK (scale(added_unit_price) = coalesce(commerce_minor_units(currency), -1));
