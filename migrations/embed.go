// Package migrations holds the numbered SQLite schema files. The store's
// migration runner applies them in order; a file, once released, never changes
// (its checksum is recorded), so every schema change is a new file.
package migrations

import "embed"

// FS holds every NNNN_name.sql file of this folder.
//
//go:embed *.sql
var FS embed.FS
