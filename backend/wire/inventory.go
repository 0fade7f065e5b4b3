package wire

import "time"

// HwInventory is the legacy hardware inventory payload of inventory.{pc}.hw
// (§5.4). Nothing publishes it at v0.29 — inventory now flows through jobs
// with an inventory hint — but the type is still part of the wire crate and
// the INVENTORY stream still exists, so old messages must stay readable.
type HwInventory struct {
	PCID        string
	Hostname    string
	OSName      string
	OSVersion   string
	OSBuild     *string // always encoded, null when nil
	CPUModel    string
	CPUCores    uint32
	RAMBytes    uint64
	Disks       []DiskInfo // nil encodes as []
	CollectedAt time.Time
}

// DiskInfo is one disk of an HwInventory.
type DiskInfo struct {
	DeviceID   string
	SizeBytes  uint64
	FreeBytes  uint64
	FileSystem *string // always encoded, null when nil
}

type hwInventoryJSON struct {
	PCID        string     `json:"pc_id"`
	Hostname    string     `json:"hostname"`
	OSName      string     `json:"os_name"`
	OSVersion   string     `json:"os_version"`
	OSBuild     *string    `json:"os_build"`
	CPUModel    string     `json:"cpu_model"`
	CPUCores    uint32     `json:"cpu_cores"`
	RAMBytes    uint64     `json:"ram_bytes"`
	Disks       []DiskInfo `json:"disks"`
	CollectedAt Time       `json:"collected_at"`
}

type diskInfoJSON struct {
	DeviceID   string  `json:"device_id"`
	SizeBytes  uint64  `json:"size_bytes"`
	FreeBytes  uint64  `json:"free_bytes"`
	FileSystem *string `json:"file_system"`
}

// MarshalJSON implements json.Marshaler with the Rust key order.
func (h HwInventory) MarshalJSON() ([]byte, error) {
	disks := h.Disks
	if disks == nil {
		disks = []DiskInfo{}
	}
	return Marshal(hwInventoryJSON{h.PCID, h.Hostname, h.OSName, h.OSVersion, h.OSBuild,
		h.CPUModel, h.CPUCores, h.RAMBytes, disks, Time{h.CollectedAt}})
}

// UnmarshalJSON implements json.Unmarshaler; every non-Option field is required.
func (h *HwInventory) UnmarshalJSON(b []byte) error {
	o, err := parseObject("HwInventory", b)
	if err != nil {
		return err
	}
	var v HwInventory
	var disks disksJSON
	if err = firstErr(
		o.required("pc_id", &v.PCID),
		o.required("hostname", &v.Hostname),
		o.required("os_name", &v.OSName),
		o.required("os_version", &v.OSVersion),
	); err != nil {
		return err
	}
	if v.OSBuild, err = optionalPtr[string](o, "os_build"); err != nil {
		return err
	}
	if err = firstErr(
		o.required("cpu_model", &v.CPUModel),
		o.required("cpu_cores", &v.CPUCores),
		o.required("ram_bytes", &v.RAMBytes),
		o.required("disks", &disks),
		decodeTimeField(o, "collected_at", &v.CollectedAt),
	); err != nil {
		return err
	}
	v.Disks = disks
	*h = v
	return nil
}

type disksJSON []DiskInfo

func (d *disksJSON) UnmarshalJSON(b []byte) error {
	l, err := decodeList[DiskInfo]("disks", b)
	*d = l
	return err
}

// MarshalJSON implements json.Marshaler with the Rust key order.
func (d DiskInfo) MarshalJSON() ([]byte, error) {
	return Marshal(diskInfoJSON(d))
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *DiskInfo) UnmarshalJSON(b []byte) error {
	o, err := parseObject("DiskInfo", b)
	if err != nil {
		return err
	}
	var v DiskInfo
	if err = firstErr(
		o.required("device_id", &v.DeviceID),
		o.required("size_bytes", &v.SizeBytes),
		o.required("free_bytes", &v.FreeBytes),
	); err != nil {
		return err
	}
	if v.FileSystem, err = optionalPtr[string](o, "file_system"); err != nil {
		return err
	}
	*d = v
	return nil
}
