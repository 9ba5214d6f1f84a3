-- A write the application sends without waiting for its answer (pipelined with the COMMIT) must
-- fail as an error when its guard matches nothing (a stale version, an existing checkout key): a
-- write that merely changed no row would let the rest of the transaction commit around it. The
-- statement calls this function then; the adapter maps SQLSTATE PC409 to a ConflictError whose
-- code is the DETAIL.
CREATE FUNCTION commerce_conflict(code text, message text) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'PC409', MESSAGE = message, DETAIL = code;
END
$$;
