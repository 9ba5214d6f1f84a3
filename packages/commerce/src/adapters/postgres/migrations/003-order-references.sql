-- References between orders, their lines, products and stock reservations. A checkout
-- reserves stock before it inserts the order (same transaction), so the reservation's
-- reference to its order is checked at commit.
ALTER TABLE order_items ADD CONSTRAINT order_items_product_fk FOREIGN KEY (product_id) REFERENCES products (id);
ALTER TABLE orders ADD CONSTRAINT orders_reservation_fk FOREIGN KEY (reservation_id) REFERENCES commerce_reservations (id);
ALTER TABLE commerce_reservations ADD CONSTRAINT commerce_reservations_order_fk
  FOREIGN KEY (order_id) REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED;
