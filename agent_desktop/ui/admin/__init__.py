"""The desk's Administration area (issue 27): one page per thing a centre's admin sets."""
