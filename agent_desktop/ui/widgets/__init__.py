"""Small reusable widgets (countdowns, day views)."""
