"""Dev-only tooling for measuring the app: the bench, the load test, the scaled-data generator, the floor view
and the Server-Timing header. Installed only when DEBUG or BENCH is set (config/settings.py), never in
production; it lives under tests/ because nothing in the product may import it."""
