"""Abstract domains: values (frames, series, arrays, estimators, literals), schemas with column
lineage, row provenance across splits, size bounds, constant folding and value helpers."""
