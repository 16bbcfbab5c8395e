"""Scaled data for the benchmark: the organisation, its internal control and its goals ``factor`` times the
2019 volume, over ten years. ``manage.py generate_scaled_data`` runs the three generators in this order."""
