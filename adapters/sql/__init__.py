"""SQLAlchemy plumbing shared by the SQL adapters: the table declaration rendered as Core
`Table`s, and the schema migration. Imports no other adapter package."""
