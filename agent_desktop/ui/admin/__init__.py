"""The Administration area's pages (issue 27): one QWidget class a page, listed in
``pages.ADMIN_PAGES``."""
