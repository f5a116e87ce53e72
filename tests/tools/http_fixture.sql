-- A small, hand-checkable data set for the HTTP API and dashboard tests (schema version 1).
-- Times are UTC seconds; every label below is Beijing time. The tests pin the clock at
-- 2026-03-10T12:30:00+08:00 (ENVWATCH_NOW).
--   site 1 经开区管委 (air, 明湖街道): hourly PM2.5 80, PM10 100, SO2 10, NO2 40, CO 0.8, O3 60,
--          from 2026-01-01T00:00 to the hour starting 2026-03-10T11:00;
--   site 2 九龙站 (air, 潮河街道): PM2.5 40, PM10 60, same gases, until the hour starting
--          2026-03-10T08:00 (then silent: offline, 21 of the last 24 hours);
--   site 3 某热电公司 1号排口 (gas_outlet): no data.
INSERT INTO enterprise(id, name) VALUES (1, '某热电有限公司');
INSERT INTO site(id, mn, pw, kind, name, town, lon, lat, enterprise_id, status, created_utc) VALUES
  (1, '1320A', '123456', 'air', '经开区管委', '明湖街道', 113.727, 34.7187, NULL, 'active', 0),
  (2, 'JK0002', '123456', 'air', '九龙站', '潮河街道', 113.80, 34.70, NULL, 'active', 0),
  (3, 'JK0103', '123456', 'gas_outlet', '某热电公司1号排口', '前程街道', 113.76, 34.68, 1, 'active', 0);
INSERT INTO packet(id, received_utc_ms, peer, site_id, mn, cn, qn, data_time_utc, outcome, reason, raw)
  VALUES (1, 0, 'fixture', NULL, NULL, NULL, NULL, NULL, 'stored', NULL, X'');
-- 2026-01-01T00:00+08:00 = 1767196800 UTC s; 2026-03-10T11:00+08:00 = 1773111600.
WITH RECURSIVE h(t) AS (SELECT 1767196800 UNION ALL SELECT t + 3600 FROM h WHERE t < 1773111600),
  v(site, param, value, last) AS (VALUES
    (1, 'a34004', 80, 1773111600), (1, 'a34002', 100, 1773111600), (1, 'a21026', 10, 1773111600),
    (1, 'a21004', 40, 1773111600), (1, 'a21005', 0.8, 1773111600), (1, 'a05024', 60, 1773111600),
    (2, 'a34004', 40, 1773100800), (2, 'a34002', 60, 1773100800), (2, 'a21026', 10, 1773100800),
    (2, 'a21004', 40, 1773100800), (2, 'a21005', 0.8, 1773100800), (2, 'a05024', 60, 1773100800))
INSERT INTO observation(site_id, param, period, ts_utc, value, min, max, cou, flag, packet_id)
  SELECT site, param, 'hour', t, value, value, value, NULL, 'N', 1 FROM h, v WHERE t <= last;
-- A maintenance-flagged hour (HJ 212-2017 table 8: M) just before the series window ends.
UPDATE observation SET flag = 'M' WHERE site_id = 1 AND param = 'a34004' AND period = 'hour'
  AND ts_utc = 1773104400;
