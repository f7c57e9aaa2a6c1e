"""Backup and restore of a Motcua instance (sao lưu và khôi phục): the database and every stored file, with a
manifest of checksums that is checked before anything is restored."""
