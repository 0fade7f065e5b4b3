//go:build windows

package hostos

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

// SystemRegistry is the Windows registry (HKEY_LOCAL_MACHINE).
func SystemRegistry() Registry { return windowsRegistry{} }

type windowsRegistry struct{}

func (windowsRegistry) ReadString(key, value string) (string, bool, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, key, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	defer k.Close()
	s, _, err := k.GetStringValue(value) // REG_SZ or REG_EXPAND_SZ
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return s, true, nil
}
