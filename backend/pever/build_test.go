package pever

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"unicode/utf16"
)

// spec describes a PE file for buildPE. The zero value of a field means
// "the usual": see defaultSpec.
type spec struct {
	product, file *string // String entries of the first table; nil omits them
	second        *string // ProductVersion of a second StringTable; nil omits it

	fixedProduct, fixedFile [4]uint16
	noFixed                 bool // VS_VERSION_INFO without a value
	fixedSig                uint32

	noStringTable bool // no StringFileInfo at all

	section    string   // section name
	typeID     uint32   // resource type of the version resource
	extraTypes []uint32 // Name fields of root entries placed before it
	noResDir   bool     // data directory entry 2 left zero
	numDirs    uint32   // NumberOfRvaAndSizes
	pe32       bool     // PE32 (i386) instead of PE32+ (AMD64)

	// Things debug/pe reads but Version does not need.
	extraSections int    // empty sections after the resource section
	relocs        uint16 // COFF relocations claimed by each extra section, all sharing one table
	symbols       int    // COFF symbols appended after the section data
	longName      bool   // name the section "/4", i.e. via the COFF string table
}

func str(s string) *string { return &s }

func defaultSpec() spec {
	return spec{
		product:      str("1.5.0"),
		file:         str("2.6.0.1"),
		fixedProduct: [4]uint16{3, 7, 0, 1},
		fixedFile:    [4]uint16{4, 8, 0, 1},
		fixedSig:     fixedSignature,
		section:      ".rsrc",
		typeID:       rtVersion,
		numDirs:      16,
	}
}

// layout holds file offsets of the interesting parts of a built PE, for
// tests that corrupt them.
type layout struct {
	dataDir   int // IMAGE_DATA_DIRECTORY[2] (VirtualAddress, Size)
	numDirs   int // NumberOfRvaAndSizes
	secHeader int // the section header
	rsrc      int // start of the section's raw data = resource root directory
	typeEntry int // root entry of the version type
	nameDir   int
	nameEntry int
	langDir   int
	langEntry int
	dataEntry int // IMAGE_RESOURCE_DATA_ENTRY
	blob      int // VS_VERSIONINFO
	sfi       int // StringFileInfo block (0 if none)
	rawSize   int // SizeOfRawData
}

const (
	fileAlign = 0x200
	secRVA    = 0x1000
)

func u16s(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// vsBlock builds a version block: wLength, wValueLength, wType, the key,
// padding, the value, then each child 32-bit aligned.
func vsBlock(key string, typ uint16, valueLen uint16, value []byte, kids ...[]byte) []byte {
	b := make([]byte, 6)
	b = append(b, u16s(key)...)
	b = append(b, 0, 0)
	b = pad4(b)
	b = append(b, value...)
	for _, k := range kids {
		b = pad4(b)
		b = append(b, k...)
	}
	binary.LittleEndian.PutUint16(b[0:], uint16(len(b)))
	binary.LittleEndian.PutUint16(b[2:], valueLen)
	binary.LittleEndian.PutUint16(b[4:], typ)
	return b
}

func vsString(key, value string) []byte {
	v := append(u16s(value), 0, 0)
	return vsBlock(key, 1, uint16(len(v)/2), v)
}

func stringTable(lang string, product, file *string) []byte {
	var kids [][]byte
	kids = append(kids, vsString("CompanyName", "kanade"))
	if file != nil {
		kids = append(kids, vsString("FileVersion", *file))
	}
	if product != nil {
		kids = append(kids, vsString("ProductVersion", *product))
	}
	kids = append(kids, vsString("ProductName", "kanade-agent"))
	return vsBlock(lang, 1, 0, nil, kids...)
}

// versionBlob builds VS_VERSIONINFO and returns it with the offset of its
// StringFileInfo child (0 if none).
func versionBlob(s spec) ([]byte, int) {
	var fixed []byte
	if !s.noFixed {
		for _, v := range []uint32{
			s.fixedSig, 0x00010000,
			uint32(s.fixedFile[0])<<16 | uint32(s.fixedFile[1]), uint32(s.fixedFile[2])<<16 | uint32(s.fixedFile[3]),
			uint32(s.fixedProduct[0])<<16 | uint32(s.fixedProduct[1]), uint32(s.fixedProduct[2])<<16 | uint32(s.fixedProduct[3]),
			0x3f, 0, 0x40004, 1, 0, 0, 0,
		} {
			fixed = binary.LittleEndian.AppendUint32(fixed, v)
		}
	}
	var kids [][]byte
	if !s.noStringTable {
		tables := [][]byte{stringTable("040904b0", s.product, s.file)}
		if s.second != nil {
			tables = append(tables, stringTable("041104b0", s.second, nil))
		}
		kids = append(kids, vsBlock("StringFileInfo", 1, 0, nil, tables...))
	}
	translation := []byte{0x09, 0x04, 0xb0, 0x04}
	kids = append(kids, vsBlock("VarFileInfo", 1, 0, nil, vsBlock("Translation", 0, 4, translation)))
	b := vsBlock("VS_VERSION_INFO", 0, uint16(len(fixed)), fixed, kids...)
	sfi := 0
	if !s.noStringTable {
		sfi = len(pad4(vsBlock("VS_VERSION_INFO", 0, uint16(len(fixed)), fixed)))
	}
	return b, sfi
}

func put16(b []byte, off int, v uint16) { binary.LittleEndian.PutUint16(b[off:], v) }
func put32(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }

// buildPE builds a minimal but valid PE32+ (or PE32) image with one
// section holding a resource tree: the root directory with the extra type
// entries and the version type entry → a name directory with id 1 → a
// language directory with 0x409 → a data entry pointing by RVA at the
// VS_VERSIONINFO blob.
func buildPE(s spec) ([]byte, layout) {
	var lay layout
	const lfanew = 0x80
	out := make([]byte, lfanew)
	copy(out, "MZ")
	put32(out, 0x3c, lfanew)
	out = append(out, "PE\x00\x00"...)

	// The resource section.
	nTypes := len(s.extraTypes) + 1
	rootSize := resDirSize + nTypes*resEntrySize
	nameDir := rootSize
	langDir := nameDir + resDirSize + resEntrySize
	dataEntry := langDir + resDirSize + resEntrySize
	blobOff := dataEntry + resDataSize
	blob, sfi := versionBlob(s)
	rsrc := make([]byte, blobOff)
	put16(rsrc, 14, uint16(nTypes))
	for i, name := range s.extraTypes {
		put32(rsrc, resDirSize+i*resEntrySize, name)
		put32(rsrc, resDirSize+i*resEntrySize+4, highBit|uint32(nameDir))
	}
	typeEntry := resDirSize + len(s.extraTypes)*resEntrySize
	put32(rsrc, typeEntry, s.typeID)
	put32(rsrc, typeEntry+4, highBit|uint32(nameDir))
	put16(rsrc, nameDir+14, 1)
	put32(rsrc, nameDir+resDirSize, 1)
	put32(rsrc, nameDir+resDirSize+4, highBit|uint32(langDir))
	put16(rsrc, langDir+14, 1)
	put32(rsrc, langDir+resDirSize, 0x409)
	put32(rsrc, langDir+resDirSize+4, uint32(dataEntry))
	put32(rsrc, dataEntry, secRVA+uint32(blobOff))
	put32(rsrc, dataEntry+4, uint32(len(blob)))
	rsrc = append(rsrc, blob...)
	virtSize := len(rsrc)
	rawSize := (len(rsrc) + fileAlign - 1) &^ (fileAlign - 1)
	rsrc = append(rsrc, make([]byte, rawSize-len(rsrc))...)

	var opt bytes.Buffer
	dirs := [16]pe.DataDirectory{}
	if !s.noResDir {
		dirs[dirEntryResource] = pe.DataDirectory{VirtualAddress: secRVA, Size: uint32(virtSize)}
	}
	sizeOfImage := uint32(secRVA + (virtSize+0xfff)&^0xfff)
	machine, optMin := uint16(pe.IMAGE_FILE_MACHINE_AMD64), 112
	chars := uint16(pe.IMAGE_FILE_EXECUTABLE_IMAGE | pe.IMAGE_FILE_LARGE_ADDRESS_AWARE)
	if s.pe32 {
		machine, optMin = pe.IMAGE_FILE_MACHINE_I386, 96
		chars = pe.IMAGE_FILE_EXECUTABLE_IMAGE | pe.IMAGE_FILE_32BIT_MACHINE
		binary.Write(&opt, binary.LittleEndian, pe.OptionalHeader32{
			Magic: 0x10b, MajorLinkerVersion: 14, ImageBase: 0x400000,
			SectionAlignment: 0x1000, FileAlignment: fileAlign,
			MajorOperatingSystemVersion: 6, MajorSubsystemVersion: 6,
			SizeOfImage: sizeOfImage, SizeOfHeaders: fileAlign,
			Subsystem:          pe.IMAGE_SUBSYSTEM_WINDOWS_CUI,
			SizeOfStackReserve: 0x100000, SizeOfStackCommit: 0x1000,
			SizeOfHeapReserve: 0x100000, SizeOfHeapCommit: 0x1000,
			NumberOfRvaAndSizes: s.numDirs, DataDirectory: dirs,
		})
	} else {
		binary.Write(&opt, binary.LittleEndian, pe.OptionalHeader64{
			Magic: 0x20b, MajorLinkerVersion: 14, ImageBase: 0x140000000,
			SectionAlignment: 0x1000, FileAlignment: fileAlign,
			MajorOperatingSystemVersion: 6, MajorSubsystemVersion: 6,
			SizeOfImage: sizeOfImage, SizeOfHeaders: fileAlign,
			Subsystem: pe.IMAGE_SUBSYSTEM_WINDOWS_CUI,
			DllCharacteristics: pe.IMAGE_DLLCHARACTERISTICS_HIGH_ENTROPY_VA |
				pe.IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE | pe.IMAGE_DLLCHARACTERISTICS_NX_COMPAT,
			SizeOfStackReserve: 0x100000, SizeOfStackCommit: 0x1000,
			SizeOfHeapReserve: 0x100000, SizeOfHeapCommit: 0x1000,
			NumberOfRvaAndSizes: s.numDirs, DataDirectory: dirs,
		})
	}
	optBytes := opt.Bytes()[:optMin+8*int(s.numDirs)]

	var hdr bytes.Buffer
	binary.Write(&hdr, binary.LittleEndian, pe.FileHeader{
		Machine:              machine,
		SizeOfOptionalHeader: uint16(len(optBytes)),
		Characteristics:      chars,
	})
	out = append(out, hdr.Bytes()...)
	optStart := len(out)
	lay.numDirs = optStart + optMin - 4
	lay.dataDir = optStart + optMin + 8*dirEntryResource
	out = append(out, optBytes...)

	nSections := 1 + s.extraSections
	headersEnd := len(out) + nSections*40
	rsrcOff := (headersEnd + fileAlign - 1) &^ (fileAlign - 1)
	relocOff := rsrcOff + rawSize
	symOff := relocOff + 10*int(s.relocs)
	binary.LittleEndian.PutUint16(out[lfanew+6:], uint16(nSections))
	put32(out, optStart+60, uint32(rsrcOff)) // SizeOfHeaders
	if s.symbols > 0 {
		put32(out, lfanew+12, uint32(symOff))
		put32(out, lfanew+16, uint32(s.symbols))
	}
	lay.secHeader = len(out)
	for i := range nSections {
		h := pe.SectionHeader32{
			VirtualSize:      uint32(virtSize),
			VirtualAddress:   secRVA,
			SizeOfRawData:    uint32(rawSize),
			PointerToRawData: uint32(rsrcOff),
			Characteristics:  pe.IMAGE_SCN_CNT_INITIALIZED_DATA | pe.IMAGE_SCN_MEM_READ,
		}
		copy(h.Name[:], s.section)
		if s.longName {
			copy(h.Name[:], "/4\x00\x00\x00\x00\x00\x00")
		}
		if i > 0 {
			h = pe.SectionHeader32{
				VirtualAddress:       uint32(sizeOfImage) + uint32(i-1)*0x1000,
				PointerToRelocations: uint32(relocOff),
				NumberOfRelocations:  s.relocs,
				Characteristics:      pe.IMAGE_SCN_CNT_UNINITIALIZED_DATA | pe.IMAGE_SCN_MEM_READ,
			}
			copy(h.Name[:], ".bss")
		}
		var sec bytes.Buffer
		binary.Write(&sec, binary.LittleEndian, h)
		out = append(out, sec.Bytes()...)
	}
	out = append(out, make([]byte, rsrcOff-len(out))...)
	out = append(out, rsrc...)
	out = append(out, make([]byte, 10*int(s.relocs))...)
	if s.symbols > 0 {
		out = append(out, make([]byte, 18*s.symbols)...)
		strtab := append([]byte{0, 0, 0, 0}, s.section+"\x00"...)
		put32(strtab, 0, uint32(len(strtab)))
		out = append(out, strtab...)
	}

	lay.rsrc = rsrcOff
	lay.typeEntry = rsrcOff + typeEntry
	lay.nameDir = rsrcOff + nameDir
	lay.nameEntry = rsrcOff + nameDir + resDirSize
	lay.langDir = rsrcOff + langDir
	lay.langEntry = rsrcOff + langDir + resDirSize
	lay.dataEntry = rsrcOff + dataEntry
	lay.blob = rsrcOff + blobOff
	if sfi != 0 {
		lay.sfi = lay.blob + sfi
	}
	lay.rawSize = rawSize
	return out, lay
}
