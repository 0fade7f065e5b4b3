// Package pever reads the version of a Windows executable from its
// VERSIONINFO resource, the way POST /api/agents/publish names an uploaded
// agent binary in the agent_releases object store.
//
// The input is untrusted: every offset and length taken from the file is
// bounds-checked against the bytes actually present, nothing is allocated
// in proportion to a length field, and the resource directory walk is
// bounded in depth and refuses to visit a directory twice.
package pever

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
)

// The error kinds Version reports. Every returned error wraps exactly one
// of them (test with errors.Is) and is a single line starting "pever: ".
var (
	ErrNotPE         = errors.New("not a PE file")
	ErrNoResources   = errors.New("no resource section")
	ErrNoVersionInfo = errors.New("no VERSIONINFO resource")
	ErrMalformed     = errors.New("malformed resource data")
	ErrNoVersion     = errors.New("no usable version")
)

// MaxVersionLen is the longest version string Version accepts.
const MaxVersionLen = 64

const (
	dirEntryResource = 2          // IMAGE_DIRECTORY_ENTRY_RESOURCE
	rtVersion        = 16         // RT_VERSION
	fixedSignature   = 0xFEEF04BD // VS_FIXEDFILEINFO.dwSignature
	fixedInfoSize    = 52         // sizeof(VS_FIXEDFILEINFO)
	resDirSize       = 16         // sizeof(IMAGE_RESOURCE_DIRECTORY)
	resEntrySize     = 8          // sizeof(IMAGE_RESOURCE_DIRECTORY_ENTRY)
	resDataSize      = 16         // sizeof(IMAGE_RESOURCE_DATA_ENTRY)
	highBit          = 0x80000000
	// maxDirDepth is how many directory levels may hang below the type
	// directory: the name level and the language level.
	maxDirDepth = 2
)

func errf(kind error, format string, args ...any) error {
	return fmt.Errorf("pever: %w: %s", kind, fmt.Sprintf(format, args...))
}

// Version returns the version of the PE file in data: the ProductVersion
// string of the first string table of its first RT_VERSION resource,
// else its FileVersion string, else the product (or, if that is zero, the
// file) version numbers of VS_FIXEDFILEINFO.
//
// A string that is blank after trimming counts as absent; a non-blank one
// that is not a plausible version is an error rather than a reason to fall
// back. The result is trimmed of spaces and NULs, "a.b.c.0" becomes
// "a.b.c", and it must be 1..64 characters of [0-9A-Za-z.+-] starting with
// a digit.
func Version(data []byte) (string, error) {
	img, err := openImage(data)
	if err != nil {
		return "", err
	}
	blob, err := img.versionResource()
	if err != nil {
		return "", err
	}
	info, err := parseVersionInfo(blob)
	if err != nil {
		return "", err
	}
	return info.version()
}

// image is a parsed PE file together with its raw bytes.
type image struct {
	data     []byte
	sections []pe.SectionHeader
	resRVA   uint32
}

func openImage(data []byte) (*image, error) {
	// debug/pe also accepts bare COFF object files; an executable must
	// start with a DOS header whose e_lfanew points at "PE\0\0".
	if len(data) < 0x40 || data[0] != 'M' || data[1] != 'Z' {
		return nil, errf(ErrNotPE, "no MZ header")
	}
	lfanew := uint64(binary.LittleEndian.Uint32(data[0x3c:]))
	if lfanew+4 > uint64(len(data)) || !bytes.Equal(data[lfanew:lfanew+4], []byte("PE\x00\x00")) {
		return nil, errf(ErrNotPE, "no PE signature")
	}
	f, err := newPEFile(data, lfanew)
	if err != nil {
		return nil, errf(ErrNotPE, "%s", oneLine(err.Error()))
	}
	img := &image{data: data}
	for _, s := range f.Sections {
		img.sections = append(img.sections, s.SectionHeader)
	}
	var dd pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		if oh.NumberOfRvaAndSizes > dirEntryResource {
			dd = oh.DataDirectory[dirEntryResource]
		}
	case *pe.OptionalHeader32:
		if oh.NumberOfRvaAndSizes > dirEntryResource {
			dd = oh.DataDirectory[dirEntryResource]
		}
	default:
		return nil, errf(ErrNotPE, "no optional header")
	}
	if dd.VirtualAddress == 0 || dd.Size == 0 {
		return nil, errf(ErrNoResources, "the resource data directory is empty")
	}
	img.resRVA = dd.VirtualAddress
	return img, nil
}

// newPEFile runs debug/pe on data, whose PE signature is at lfanew,
// turning a panic on hostile input (none is known) into an error.
//
// debug/pe reads things Version never needs, and two of them let a small
// hostile file allocate without bound: every section's COFF relocations
// (NumberOfSections × NumberOfRelocations records, and all sections may
// share one table: 65535 × 65535) and the COFF symbol table (one struct
// and one heap object per 18 bytes). So debug/pe reads the file through
// a view whose headers claim no relocations and no symbols; the COFF
// string table, which long section names like "/4" refer to, stays
// where debug/pe looks for it.
func newPEFile(data []byte, lfanew uint64) (f *pe.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("debug/pe failed: %v", r)
		}
	}()
	return pe.NewFile(headerView(data, lfanew))
}

const (
	fileHeaderSize    = 20 // IMAGE_FILE_HEADER
	sectionHeaderSize = 40 // IMAGE_SECTION_HEADER
	coffSymbolSize    = 18
)

// headerView returns data as an io.ReaderAt with the file and section
// headers patched as newPEFile describes.
func headerView(data []byte, lfanew uint64) io.ReaderAt {
	fh := lfanew + 4
	if fh+fileHeaderSize > uint64(len(data)) {
		return bytes.NewReader(data) // debug/pe will report the truncation
	}
	nsec := uint64(binary.LittleEndian.Uint16(data[fh+2:]))
	optSize := uint64(binary.LittleEndian.Uint16(data[fh+16:]))
	end := min(fh+fileHeaderSize+optSize+nsec*sectionHeaderSize, uint64(len(data)))
	patch := bytes.Clone(data[fh:end]) // at most about 2.6 MB
	symPtr := binary.LittleEndian.Uint32(patch[8:])
	nsym := binary.LittleEndian.Uint32(patch[12:])
	if symPtr != 0 && nsym != 0 {
		// debug/pe finds the string table at PointerToSymbolTable +
		// 18*NumberOfSymbols, in uint32 arithmetic.
		binary.LittleEndian.PutUint32(patch[8:], symPtr+coffSymbolSize*nsym)
		binary.LittleEndian.PutUint32(patch[12:], 0)
	}
	for p := fileHeaderSize + optSize; p+sectionHeaderSize <= uint64(len(patch)); p += sectionHeaderSize {
		binary.LittleEndian.PutUint16(patch[p+32:], 0) // NumberOfRelocations
	}
	return &overlay{base: bytes.NewReader(data), at: int64(fh), patch: patch}
}

// overlay reads base with patch laid over it at offset at.
type overlay struct {
	base  *bytes.Reader
	at    int64
	patch []byte
}

func (o *overlay) ReadAt(p []byte, off int64) (int, error) {
	n, err := o.base.ReadAt(p, off)
	lo, hi := max(off, o.at), min(off+int64(n), o.at+int64(len(o.patch)))
	if lo < hi {
		copy(p[lo-off:hi-off], o.patch[lo-o.at:hi-o.at])
	}
	return n, err
}

// clip shortens s for an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 2*MaxVersionLen {
		return string(r[:2*MaxVersionLen]) + "..."
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// region returns the file bytes backing the image from rva to the end of
// the raw data of the section containing it, or false if rva is not
// backed by file bytes.
func (img *image) region(rva uint32) ([]byte, bool) {
	for i := range img.sections {
		s := &img.sections[i]
		va, raw := uint64(s.VirtualAddress), uint64(s.Size)
		span := uint64(s.VirtualSize)
		if span == 0 {
			span = raw
		}
		r := uint64(rva)
		if r < va || r >= va+span {
			continue
		}
		delta := r - va
		backed := min(raw, span)
		if delta >= backed {
			return nil, false // in the zero-filled tail of the section
		}
		start := uint64(s.Offset) + delta
		end := min(uint64(s.Offset)+backed, uint64(len(img.data)))
		if start >= end {
			return nil, false
		}
		return img.data[start:end], true
	}
	return nil, false
}

// versionResource walks the resource directory tree to the first
// RT_VERSION leaf and returns the bytes of its data.
func (img *image) versionResource() ([]byte, error) {
	res, ok := img.region(img.resRVA)
	if !ok {
		return nil, errf(ErrMalformed, "resource directory RVA %#x is not backed by file data", img.resRVA)
	}
	w := walker{res: res, visited: map[uint32]bool{0: true}}
	root, err := w.dir(0)
	if err != nil {
		return nil, err
	}
	var typeDir uint32
	found := false
	for i := range root.n {
		name, target := root.entry(i)
		if name != rtVersion { // named types have the high bit set
			continue
		}
		if target&highBit == 0 {
			return nil, errf(ErrMalformed, "RT_VERSION type entry is not a directory")
		}
		typeDir, found = target&^highBit, true
		break
	}
	if !found {
		return nil, errf(ErrNoVersionInfo, "no RT_VERSION entry in the resource directory")
	}
	leaf, found, err := w.firstLeaf(typeDir, 0)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errf(ErrNoVersionInfo, "the RT_VERSION directory holds no resource")
	}
	if uint64(leaf)+resDataSize > uint64(len(res)) {
		return nil, errf(ErrMalformed, "resource data entry at %#x is out of range", leaf)
	}
	rva := binary.LittleEndian.Uint32(res[leaf:])
	size := binary.LittleEndian.Uint32(res[leaf+4:])
	if size == 0 {
		return nil, errf(ErrMalformed, "the VERSIONINFO resource is empty")
	}
	blob, ok := img.region(rva)
	if !ok || uint64(size) > uint64(len(blob)) {
		return nil, errf(ErrMalformed, "VERSIONINFO data (RVA %#x, %d bytes) is out of range", rva, size)
	}
	return blob[:size], nil
}

// walker reads IMAGE_RESOURCE_DIRECTORY tables out of res, the bytes from
// the start of the resource directory on.
type walker struct {
	res     []byte
	visited map[uint32]bool
}

type resDir struct {
	res []byte
	off uint32
	n   int
}

// entry returns the Name and OffsetToData fields of entry i.
func (d resDir) entry(i int) (name, target uint32) {
	p := int(d.off) + resDirSize + i*resEntrySize
	return binary.LittleEndian.Uint32(d.res[p:]), binary.LittleEndian.Uint32(d.res[p+4:])
}

func (w *walker) dir(off uint32) (resDir, error) {
	if uint64(off)+resDirSize > uint64(len(w.res)) {
		return resDir{}, errf(ErrMalformed, "resource directory at %#x is out of range", off)
	}
	n := int(binary.LittleEndian.Uint16(w.res[off+12:])) + int(binary.LittleEndian.Uint16(w.res[off+14:]))
	if uint64(off)+resDirSize+uint64(n)*resEntrySize > uint64(len(w.res)) {
		return resDir{}, errf(ErrMalformed, "resource directory at %#x has %d entries past the end of the section", off, n)
	}
	return resDir{res: w.res, off: off, n: n}, nil
}

// firstLeaf returns the offset of the first data entry below the directory
// at off, depth levels below the type directory. Each directory is read at
// most once and the tree is at most maxDirDepth deep, so a hostile file
// costs at most one pass over its entries.
func (w *walker) firstLeaf(off uint32, depth int) (uint32, bool, error) {
	if depth >= maxDirDepth {
		return 0, false, errf(ErrMalformed, "resource directory tree is too deep")
	}
	if w.visited[off] {
		return 0, false, errf(ErrMalformed, "resource directory at %#x is part of a loop", off)
	}
	w.visited[off] = true
	d, err := w.dir(off)
	if err != nil {
		return 0, false, err
	}
	for i := range d.n {
		_, target := d.entry(i)
		if target&highBit == 0 {
			return target, true, nil
		}
		leaf, found, err := w.firstLeaf(target&^highBit, depth+1)
		if err != nil || found {
			return leaf, found, err
		}
	}
	return 0, false, nil
}

// versionInfo is what Version needs from a VS_VERSIONINFO block.
type versionInfo struct {
	productVersion, fileVersion string
	hasProduct, hasFile         bool
	fixedProduct, fixedFile     [4]uint16
	hasFixed                    bool
}

func (v *versionInfo) version() (string, error) {
	for _, c := range []struct {
		name string
		s    string
		ok   bool
	}{
		{"ProductVersion", v.productVersion, v.hasProduct},
		{"FileVersion", v.fileVersion, v.hasFile},
	} {
		if !c.ok {
			continue
		}
		s := normalize(c.s)
		if s == "" {
			continue
		}
		if !Valid(s) {
			return "", errf(ErrNoVersion, "%s %q is not a plausible version", c.name, clip(s))
		}
		return s, nil
	}
	if v.hasFixed {
		for _, n := range [][4]uint16{v.fixedProduct, v.fixedFile} {
			if n == [4]uint16{} {
				continue
			}
			return normalize(fmt.Sprintf("%d.%d.%d.%d", n[0], n[1], n[2], n[3])), nil
		}
	}
	return "", errf(ErrNoVersion, "VERSIONINFO has no ProductVersion, FileVersion or fixed version numbers")
}

// normalize trims spaces and NULs and drops a trailing ".0" fourth part
// of an all-numeric a.b.c.d version.
func normalize(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r == 0 || unicode.IsSpace(r) })
	parts := strings.Split(s, ".")
	if len(parts) == 4 && parts[3] == "0" {
		numeric := true
		for _, p := range parts {
			if p == "" || strings.Trim(p, "0123456789") != "" {
				numeric = false
			}
		}
		if numeric {
			s = strings.Join(parts[:3], ".")
		}
	}
	return s
}

// Valid reports whether s is acceptable as a release version (and so as
// an object name): 1..MaxVersionLen characters of [0-9A-Za-z.+-] starting
// with a digit.
func Valid(s string) bool {
	if len(s) == 0 || len(s) > MaxVersionLen || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '.', c == '+', c == '-':
		default:
			return false
		}
	}
	return true
}

// block is one node of a VS_VERSIONINFO tree: wLength, wValueLength,
// wType, a NUL-terminated UTF-16LE key, then (each 32-bit aligned) the
// value and the children. Offsets are into the whole blob, which starts
// 32-bit aligned.
type block struct {
	key        string
	valueLen   uint16
	valueOff   int
	childStart int
	end        int
}

func align4(n int) int { return (n + 3) &^ 3 }

// readBlock reads the block at off, which must end by limit.
func readBlock(b []byte, off, limit int) (block, error) {
	if off+6 > limit {
		return block{}, errf(ErrMalformed, "version block at %#x is truncated", off)
	}
	length := int(binary.LittleEndian.Uint16(b[off:]))
	bl := block{valueLen: binary.LittleEndian.Uint16(b[off+2:]), end: off + length}
	typ := binary.LittleEndian.Uint16(b[off+4:])
	if length < 6 {
		return block{}, errf(ErrMalformed, "version block at %#x has impossible length %d", off, length)
	}
	if bl.end > limit {
		return block{}, errf(ErrMalformed, "version block at %#x has length %d, beyond the %d bytes left in its parent", off, length, limit-off)
	}
	p := off + 6
	var key []uint16
	for {
		if p+2 > bl.end {
			return block{}, errf(ErrMalformed, "version block key at %#x is not terminated", off)
		}
		c := binary.LittleEndian.Uint16(b[p:])
		p += 2
		if c == 0 {
			break
		}
		key = append(key, c)
	}
	bl.key = string(utf16.Decode(key))
	bl.valueOff = min(align4(p), bl.end)
	valueBytes := int(bl.valueLen)
	if typ == 1 {
		valueBytes *= 2 // text values count UTF-16 code units
	}
	bl.childStart = min(align4(bl.valueOff+valueBytes), bl.end)
	return bl, nil
}

// children calls fn for each child block of bl, stopping at the first
// error or at zero padding.
func children(b []byte, bl block, fn func(block) error) error {
	for off := bl.childStart; off+6 <= bl.end; {
		if binary.LittleEndian.Uint16(b[off:]) == 0 {
			return nil // trailing padding
		}
		c, err := readBlock(b, off, bl.end)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
		off = align4(c.end)
	}
	return nil
}

// text decodes a String block's value: UTF-16LE up to the first NUL or the
// end of the block. The value length is not trusted for the extent since
// resource compilers disagree on whether it counts bytes or characters.
func text(b []byte, bl block) string {
	if bl.valueLen == 0 {
		return ""
	}
	var u []uint16
	for p := bl.valueOff; p+2 <= bl.end; p += 2 {
		c := binary.LittleEndian.Uint16(b[p:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

var errStop = errors.New("stop")

func parseVersionInfo(b []byte) (*versionInfo, error) {
	root, err := readBlock(b, 0, len(b))
	if err != nil {
		return nil, err
	}
	if root.key != "VS_VERSION_INFO" {
		return nil, errf(ErrMalformed, "version resource key is %q, not VS_VERSION_INFO", clip(root.key))
	}
	info := &versionInfo{}
	if int(root.valueLen) >= fixedInfoSize && root.valueOff+fixedInfoSize <= root.end {
		fixed := b[root.valueOff : root.valueOff+fixedInfoSize]
		if binary.LittleEndian.Uint32(fixed) == fixedSignature {
			info.hasFixed = true
			info.fixedFile = versionWords(fixed[8:])
			info.fixedProduct = versionWords(fixed[16:])
		}
	}
	seenTable := false
	err = children(b, root, func(sfi block) error {
		if sfi.key != "StringFileInfo" || seenTable {
			return nil
		}
		return children(b, sfi, func(table block) error {
			seenTable = true
			err := children(b, table, func(s block) error {
				switch s.key {
				case "ProductVersion":
					if !info.hasProduct {
						info.productVersion, info.hasProduct = text(b, s), true
					}
				case "FileVersion":
					if !info.hasFile {
						info.fileVersion, info.hasFile = text(b, s), true
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return errStop // only the first string table counts
		})
	})
	if err != nil && err != errStop {
		return nil, err
	}
	return info, nil
}

// versionWords reads an MS/LS DWORD pair as a.b.c.d.
func versionWords(p []byte) [4]uint16 {
	ms, ls := binary.LittleEndian.Uint32(p), binary.LittleEndian.Uint32(p[4:])
	return [4]uint16{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}
}
