"""The desk's Administration area (issue 27): a window of pages (``pages.ADMIN_PAGES``), each
shown to the users holding its permission."""
