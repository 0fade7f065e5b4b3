//go:build !windows

package hostos

// SystemRegistry is the registry of this OS: it has none.
func SystemRegistry() Registry { return NoRegistry{} }
