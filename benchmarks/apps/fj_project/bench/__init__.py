"""The benchmark's models (app label ``bench``), on the tables ``benchmarks.seed`` fills."""
