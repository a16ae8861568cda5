"""Backup and restore: the whole database to a versioned archive and back, on either engine."""
