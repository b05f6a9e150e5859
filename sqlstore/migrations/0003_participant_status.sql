-- Participants: domestic purchases outside the cluster (the denominator of the
-- share of inputs bought inside it), participants that only plan production,
-- and defence-industry (ОПК) enterprises, which may submit reference
-- information instead of supply contracts (Atlas 2025, 001:301).
ALTER TABLE participants ADD COLUMN domestic_purchases_rub DOUBLE PRECISION;
ALTER TABLE participants ADD COLUMN plans_production INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN defence INTEGER NOT NULL DEFAULT 0;
