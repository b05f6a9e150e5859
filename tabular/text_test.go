package tabular

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"golang.org/x/text/encoding/charmap"
)

func cp1251(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A file as a Russian Excel saves "CSV (разделители — точка с запятой)":
// Windows-1251, ';', decimal comma, CRLF; it reads as the same data as its
// UTF-8 twin.
func TestReadCP1251(t *testing.T) {
	parts := "id;name;region;revenue_rub;final_producer\r\nalu;ООО «Алюминий» — завод №1;Омская область;1 234 567,89;да\r\nwin;Ёлка;Москва;0,5;нет\r\n"
	links := "supplier_id;buyer_id;value_rub;year\r\nalu;win;12 345,6;2024\r\n"
	res, err := ReadCSVFiles(map[string]io.Reader{
		"participants.csv": bytes.NewReader(cp1251(t, parts)),
		"links.csv":        bytes.NewReader(cp1251(t, links)),
	}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	utf, err := ReadCSVFiles(map[string]io.Reader{"participants.csv": strings.NewReader(parts), "links.csv": strings.NewReader(links)}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got, want := res.Dataset, utf.Dataset
	if got.Participants[0].Name != "ООО «Алюминий» — завод №1" || got.Participants[1].Name != "Ёлка" || got.Participants[0].Region != "Омская область" {
		t.Errorf("names decoded as %q, %q, %q", got.Participants[0].Name, got.Participants[1].Name, got.Participants[0].Region)
	}
	if *got.Participants[0].RevenueRUB != 1234567.89 || !got.Participants[0].FinalProducer || *got.Links[0].ValueRUB != 12345.6 {
		t.Errorf("figures = %v %v %v", *got.Participants[0].RevenueRUB, got.Participants[0].FinalProducer, *got.Links[0].ValueRUB)
	}
	a, b := Tables(got), Tables(want)
	for i := range a {
		if strings.Join(flat(a[i].Rows), "|") != strings.Join(flat(b[i].Rows), "|") {
			t.Errorf("%s: cp1251 %q, utf-8 %q", a[i].Name, a[i].Rows, b[i].Rows)
		}
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// The encoding is decided at the first non-ASCII byte, even past the first
// chunk read.
func TestReadCP1251AfterLongASCII(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id;name\r\n")
	for i := 0; b.Len() < 3*textChunk; i++ {
		b.WriteString("p" + strings.Repeat("0", 6) + strconv.Itoa(i) + ";Latin name\r\n")
	}
	b.Write(cp1251(t, "last;Последний\r\n"))
	res, err := ReadCSVFiles(map[string]io.Reader{"participants.csv": &b}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ps := res.Dataset.Participants
	if ps[len(ps)-1].Name != "Последний" {
		t.Errorf("last name = %q", ps[len(ps)-1].Name)
	}
}

// A file that is neither UTF-8 nor Windows-1251 gets one problem naming the
// file, the line and the byte, and nothing is read.
func TestReadGarbageOneProblem(t *testing.T) {
	garbage := []byte("id,name\na,A\n")
	for i := 0; i < 4000; i++ {
		garbage = append(garbage, byte(i*7+3), 0x00, 0x98, byte(i))
	}
	cases := map[string]struct {
		data []byte
		line int
	}{
		"binary":           {garbage, 3},
		"utf-8 then bad":   {append([]byte("id,name\nа,Москва\nb,Омск\n"), 0xFF, 0x00, 0x01, '\n'), 4},
		"cp1251 then 0x98": {append(cp1251(t, "id;name\nа;Москва\nb;Омск\n"), 0x98, '\n'), 4},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ReadCSVFiles(map[string]io.Reader{"participants.csv": bytes.NewReader(tc.data)}, Limits{})
			ps := gm.ErrorDetails(err)
			if len(ps) != 1 {
				t.Fatalf("want one problem, got %d: %v", len(ps), err)
			}
			if !strings.Contains(ps[0].Message, "neither UTF-8 nor Windows-1251") || ps[0].File != "participants.csv" || ps[0].Row != tc.line || ps[0].MessageRU == "" {
				t.Errorf("problem = %+v", ps[0])
			}
		})
	}
}

// UTF-8 runes cut by the chunk boundary are put together again.
func TestReadUTF8AcrossChunks(t *testing.T) {
	for _, pad := range []int{0, 1, 2, 3} {
		var b bytes.Buffer
		b.WriteString("id;name\r\n")
		var want []string
		for i := 0; b.Len() < 3*textChunk; i++ {
			name := strings.Repeat("a", pad) + "Ёжик-Щука " + strconv.Itoa(i)
			want = append(want, name)
			b.WriteString("p" + strconv.Itoa(i) + ";" + name + "\r\n")
		}
		res, err := ReadCSVFiles(map[string]io.Reader{"participants.csv": bytes.NewReader(b.Bytes())}, Limits{})
		if err != nil {
			t.Fatalf("pad %d: %v", pad, err)
		}
		for i, p := range res.Dataset.Participants {
			if p.Name != want[i] {
				t.Fatalf("pad %d: row %d name %q, want %q", pad, i+2, p.Name, want[i])
			}
		}
		if len(res.Dataset.Participants) != len(want) {
			t.Errorf("pad %d: %d rows, want %d", pad, len(res.Dataset.Participants), len(want))
		}
	}
}

// ReadEmployment refuses text that is neither encoding with one problem.
func TestReadEmploymentBadText(t *testing.T) {
	_, err := ReadEmployment(bytes.NewReader([]byte("region,industry,employees\n\x98\x00\x01,x,1\n")), "emp.csv", DefaultEmploymentColumns, Limits{})
	ps := gm.ErrorDetails(err)
	if len(ps) != 1 || ps[0].Row != 2 || !strings.Contains(ps[0].Message, "neither UTF-8 nor Windows-1251") {
		t.Errorf("problems = %+v", ps)
	}
}
