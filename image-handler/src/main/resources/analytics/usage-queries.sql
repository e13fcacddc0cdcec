-- The usage queries: the same text runs in Athena (over the Glue table `events` in the S3 lake) and in
-- DuckDB (over the local lake's files). Keep to SQL both engines read: CASE (not FILTER), COALESCE,
-- string partitions compared as text. :from and :to are ISO dates as string literals ('2026-11-01'),
-- :owner is a string literal or NULL for every owner. README.md shows these exact queries.

-- query: day
SELECT dt AS day,
       SUM(CASE WHEN event_type = 'upload' THEN 1 ELSE 0 END) AS uploads,
       SUM(CASE WHEN event_type = 'upload' THEN bytes ELSE 0 END) AS bytes,
       SUM(CASE WHEN event_type = 'moderation' AND verdict <> 'ALLOW' THEN 1 ELSE 0 END) AS flagged,
       SUM(CASE WHEN event_type = 'render' THEN 1 ELSE 0 END) AS variants,
       SUM(CASE WHEN event_type = 'sr' THEN 1 ELSE 0 END) AS sr_calls,
       SUM(CASE WHEN event_type = 'sr' THEN duration_ms ELSE 0 END) AS sr_ms,
       SUM(CASE WHEN event_type = 'delete' THEN 1 ELSE 0 END) AS deletes
FROM events
WHERE dt BETWEEN :from AND :to
  AND (:owner IS NULL OR owner = :owner)
GROUP BY dt
ORDER BY day

-- query: owner
SELECT COALESCE(owner, 'unknown') AS owner,
       SUM(CASE WHEN event_type = 'upload' THEN 1 ELSE 0 END) AS uploads,
       SUM(CASE WHEN event_type = 'upload' THEN bytes ELSE 0 END) AS bytes,
       SUM(CASE WHEN event_type = 'moderation' AND verdict <> 'ALLOW' THEN 1 ELSE 0 END) AS flagged,
       SUM(CASE WHEN event_type = 'render' THEN 1 ELSE 0 END) AS variants,
       SUM(CASE WHEN event_type = 'sr' THEN 1 ELSE 0 END) AS sr_calls,
       SUM(CASE WHEN event_type = 'sr' THEN duration_ms ELSE 0 END) AS sr_ms,
       SUM(CASE WHEN event_type = 'delete' THEN 1 ELSE 0 END) AS deletes
FROM events
WHERE dt BETWEEN :from AND :to
  AND (:owner IS NULL OR owner = :owner)
GROUP BY COALESCE(owner, 'unknown')
ORDER BY uploads DESC, variants DESC, owner

-- query: type
SELECT COALESCE(content_type, 'unknown') AS type,
       SUM(CASE WHEN event_type = 'upload' THEN 1 ELSE 0 END) AS uploads,
       SUM(CASE WHEN event_type = 'upload' THEN bytes ELSE 0 END) AS bytes,
       SUM(CASE WHEN event_type = 'moderation' AND verdict <> 'ALLOW' THEN 1 ELSE 0 END) AS flagged,
       SUM(CASE WHEN event_type = 'render' THEN 1 ELSE 0 END) AS variants,
       SUM(CASE WHEN event_type = 'sr' THEN 1 ELSE 0 END) AS sr_calls,
       SUM(CASE WHEN event_type = 'sr' THEN duration_ms ELSE 0 END) AS sr_ms,
       SUM(CASE WHEN event_type = 'delete' THEN 1 ELSE 0 END) AS deletes
FROM events
WHERE dt BETWEEN :from AND :to
  AND (:owner IS NULL OR owner = :owner)
GROUP BY COALESCE(content_type, 'unknown')
ORDER BY type

-- query: format
SELECT COALESCE(format, 'unknown') AS format,
       SUM(CASE WHEN event_type = 'upload' THEN 1 ELSE 0 END) AS uploads,
       SUM(CASE WHEN event_type = 'upload' THEN bytes ELSE 0 END) AS bytes,
       SUM(CASE WHEN event_type = 'moderation' AND verdict <> 'ALLOW' THEN 1 ELSE 0 END) AS flagged,
       SUM(CASE WHEN event_type = 'render' THEN 1 ELSE 0 END) AS variants,
       SUM(CASE WHEN event_type = 'sr' THEN 1 ELSE 0 END) AS sr_calls,
       SUM(CASE WHEN event_type = 'sr' THEN duration_ms ELSE 0 END) AS sr_ms,
       SUM(CASE WHEN event_type = 'delete' THEN 1 ELSE 0 END) AS deletes
FROM events
WHERE dt BETWEEN :from AND :to
  AND (:owner IS NULL OR owner = :owner)
GROUP BY COALESCE(format, 'unknown')
ORDER BY format
