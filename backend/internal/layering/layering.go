// Package layering holds the import-direction test of the module (see
// layering_test.go and docs/ARCHITECTURE.md); it has no code of its own.
package layering
