"""Browser pages (storefront, dashboard) and the read endpoints behind the dashboard."""
