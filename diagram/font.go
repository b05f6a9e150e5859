package diagram

import (
	"encoding/base64"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// FontName is the font family diagrams use. The Go fonts have Cyrillic
// glyphs; labels are measured with the same font that draws them (PNG) and
// that the SVG embeds, so every label fits its box.
const FontName = "GoCC"

var (
	fontOnce sync.Once
	regular  *opentype.Font
	bold     *opentype.Font
	facesMu  sync.Mutex
	faces    = map[faceKey]font.Face{}
)

type faceKey struct {
	size float64
	bold bool
}

func loadFonts() {
	fontOnce.Do(func() {
		var err error
		if regular, err = opentype.Parse(goregular.TTF); err != nil {
			panic(err)
		}
		if bold, err = opentype.Parse(gobold.TTF); err != nil {
			panic(err)
		}
	})
}

// face returns a font face of the size in points (72 dpi: 1 pt = 1 px).
func face(size float64, isBold bool) font.Face {
	loadFonts()
	facesMu.Lock()
	defer facesMu.Unlock()
	k := faceKey{size, isBold}
	if f, ok := faces[k]; ok {
		return f
	}
	f := regular
	if isBold {
		f = bold
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(err)
	}
	faces[k] = fc
	return fc
}

// textWidth measures s in points at the given size.
func textWidth(s string, size float64, isBold bool) float64 {
	f := face(size, isBold)
	facesMu.Lock()
	defer facesMu.Unlock()
	var w fixed.Int26_6
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			w += f.Kern(prev, r)
		}
		a, ok := f.GlyphAdvance(r)
		if !ok {
			a, _ = f.GlyphAdvance('M')
		}
		w += a
		prev = r
	}
	return float64(w) / 64
}

// wrap breaks a label into lines of at most width characters at spaces,
// keeping at most maxLines lines (the last one ends with … when cut). With
// maxLines 0 nothing is cut: a word longer than a line is split over lines.
func wrap(s string, width, maxLines int) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, w := range words {
		if maxLines <= 0 {
			for r := []rune(w); len(r) > width+8; r = []rune(w) {
				if cur != "" {
					lines = append(lines, cur)
					cur = ""
				}
				lines = append(lines, string(r[:width]))
				w = string(r[width:])
			}
		}
		switch {
		case cur == "":
			cur = w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if maxLines > 0 {
		for i, l := range lines {
			if r := []rune(l); len(r) > width+8 {
				lines[i] = string(r[:width+7]) + "…"
			}
		}
		if len(lines) > maxLines {
			lines = lines[:maxLines]
			lines[maxLines-1] += "…"
		}
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

var fontFaceCSS = sync.OnceValue(func() string {
	return "@font-face{font-family:'" + FontName + "';src:url(data:font/ttf;base64," + base64.StdEncoding.EncodeToString(goregular.TTF) + ") format('truetype');font-weight:normal}" +
		"@font-face{font-family:'" + FontName + "';src:url(data:font/ttf;base64," + base64.StdEncoding.EncodeToString(gobold.TTF) + ") format('truetype');font-weight:bold}"
})
