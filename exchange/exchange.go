// Package exchange writes a cluster's dataset in the formats other tools
// read: a CSV folder or zip, an XLSX workbook, JSON, GraphML and GEXF (Gephi,
// networkx) and Graphviz DOT.
package exchange

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

// Formats lists the export formats.
var Formats = []string{"csv", "xlsx", "json", "graphml", "gexf", "dot"}

// ContentType returns the MIME type and file extension of a format (csv is
// served as a zip).
func ContentType(format string) (mime, ext string) {
	switch format {
	case "csv":
		return "application/zip", "zip"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
	case "json":
		return "application/json", "json"
	case "graphml":
		return "application/graphml+xml", "graphml"
	case "gexf":
		return "application/gexf+xml", "gexf"
	case "dot":
		return "text/vnd.graphviz; charset=utf-8", "dot"
	}
	return "", ""
}

// Valid reports whether format is a known export format.
func Valid(format string) bool {
	for _, f := range Formats {
		if f == format {
			return true
		}
	}
	return false
}

// Options tune an export: the CSV dialect (default rfc4180) and the
// language of a workbook ("ru": Russian sheet names, headers and values;
// anything else: the sheet and column names of the format).
type Options struct {
	Dialect tabular.Dialect
	Lang    string
}

// Write writes ds in format to w with the default options. extra sheets
// (analysis results) are added to an XLSX workbook; csv is written as a
// zip of CSV files.
func Write(w io.Writer, format string, ds *gm.Dataset, extra []tabular.Table) error {
	return WriteWith(w, format, ds, extra, Options{})
}

// WriteWith is Write with options.
func WriteWith(w io.Writer, format string, ds *gm.Dataset, extra []tabular.Table, opt Options) error {
	switch format {
	case "csv":
		return tabular.WriteZipDialect(w, tabular.Tables(ds), nil, opt.Dialect)
	case "xlsx":
		return tabular.WriteXLSXLang(w, append(tabular.Tables(ds), extra...), nil, opt.Lang)
	case "json":
		return WriteJSON(w, ds)
	case "graphml":
		return WriteGraphML(w, ds)
	case "gexf":
		return WriteGEXF(w, ds)
	case "dot":
		return WriteDOT(w, ds)
	}
	return gm.Errorf(gm.EINVALID, "unknown export format %q: use %s", format, strings.Join(Formats, ", "))
}

// WriteJSON writes the dataset as indented JSON with a stable order.
func WriteJSON(w io.Writer, ds *gm.Dataset) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ds)
}

// ReadJSON reads a dataset written by WriteJSON, rejecting unknown fields.
func ReadJSON(r io.Reader) (*gm.Dataset, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var ds gm.Dataset
	if err := dec.Decode(&ds); err != nil {
		return nil, gm.Errorf(gm.EINVALID, "invalid dataset JSON: %v", err)
	}
	for i := range ds.Participants {
		ds.Participants[i].Pos = gm.Pos{File: "participants", Row: i + 1}
	}
	for i := range ds.Links {
		ds.Links[i].Pos = gm.Pos{File: "links", Row: i + 1}
	}
	return &ds, nil
}

func edges(ds *gm.Dataset) []gm.Edge {
	es := ds.Edges()
	for i := range es {
		sort.Strings(es[i].Products)
		es[i].Products = dedupe(es[i].Products)
	}
	return es
}

func dedupe(a []string) []string {
	var out []string
	for i, s := range a {
		if i == 0 || s != a[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// GraphML

type gmlKey struct {
	XMLName xml.Name `xml:"key"`
	ID      string   `xml:"id,attr"`
	For     string   `xml:"for,attr"`
	Name    string   `xml:"attr.name,attr"`
	Type    string   `xml:"attr.type,attr"`
}

type gmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type gmlNode struct {
	ID   string    `xml:"id,attr"`
	Data []gmlData `xml:"data"`
}

type gmlEdge struct {
	ID     string    `xml:"id,attr"`
	Source string    `xml:"source,attr"`
	Target string    `xml:"target,attr"`
	Data   []gmlData `xml:"data"`
}

type gmlGraph struct {
	ID          string    `xml:"id,attr"`
	EdgeDefault string    `xml:"edgedefault,attr"`
	Nodes       []gmlNode `xml:"node"`
	Edges       []gmlEdge `xml:"edge"`
}

type gmlDoc struct {
	XMLName xml.Name `xml:"graphml"`
	Xmlns   string   `xml:"xmlns,attr"`
	Keys    []gmlKey `xml:"key"`
	Graph   gmlGraph `xml:"graph"`
}

// WriteGraphML writes the cooperation graph as GraphML with typed
// attributes (opens in Gephi, yEd, networkx.read_graphml).
func WriteGraphML(w io.Writer, ds *gm.Dataset) error {
	doc := gmlDoc{Xmlns: "http://graphml.graphdrawing.org/xmlns", Graph: gmlGraph{ID: "G", EdgeDefault: "directed"}}
	doc.Keys = []gmlKey{
		{ID: "name", For: "node", Name: "name", Type: "string"},
		{ID: "kind", For: "node", Name: "kind", Type: "string"},
		{ID: "final_producer", For: "node", Name: "final_producer", Type: "boolean"},
		{ID: "region", For: "node", Name: "region", Type: "string"},
		{ID: "inn", For: "node", Name: "inn", Type: "string"},
		{ID: "value_rub", For: "edge", Name: "value_rub", Type: "double"},
		{ID: "product_codes", For: "edge", Name: "product_codes", Type: "string"},
		{ID: "documented", For: "edge", Name: "documented", Type: "boolean"},
		{ID: "links", For: "edge", Name: "links", Type: "int"},
	}
	for _, p := range ds.Participants {
		doc.Graph.Nodes = append(doc.Graph.Nodes, gmlNode{ID: p.ID, Data: []gmlData{
			{"name", p.Name}, {"kind", string(p.Kind)}, {"final_producer", strconv.FormatBool(p.FinalProducer)}, {"region", p.Region}, {"inn", p.INN}}})
	}
	for i, e := range edges(ds) {
		doc.Graph.Edges = append(doc.Graph.Edges, gmlEdge{ID: fmt.Sprintf("e%d", i), Source: e.From, Target: e.To, Data: []gmlData{
			{"value_rub", strconv.FormatFloat(e.ValueRUB, 'f', -1, 64)}, {"product_codes", strings.Join(e.Products, ";")},
			{"documented", strconv.FormatBool(e.Documented)}, {"links", strconv.Itoa(e.Links)}}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// GEXF 1.2 (the version Gephi and networkx both read)

type gexfAttr struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfAttrs struct {
	Class string     `xml:"class,attr"`
	Attrs []gexfAttr `xml:"attribute"`
}

type gexfValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfNode struct {
	ID     string      `xml:"id,attr"`
	Label  string      `xml:"label,attr"`
	Values []gexfValue `xml:"attvalues>attvalue"`
}

type gexfEdge struct {
	ID     string      `xml:"id,attr"`
	Source string      `xml:"source,attr"`
	Target string      `xml:"target,attr"`
	Weight string      `xml:"weight,attr"`
	Values []gexfValue `xml:"attvalues>attvalue"`
}

type gexfDoc struct {
	XMLName xml.Name `xml:"gexf"`
	Xmlns   string   `xml:"xmlns,attr"`
	Version string   `xml:"version,attr"`
	Meta    struct {
		Creator     string `xml:"creator"`
		Description string `xml:"description"`
	} `xml:"meta"`
	Graph struct {
		DefaultEdgeType string      `xml:"defaultedgetype,attr"`
		Mode            string      `xml:"mode,attr"`
		Attributes      []gexfAttrs `xml:"attributes"`
		Nodes           []gexfNode  `xml:"nodes>node"`
		Edges           []gexfEdge  `xml:"edges>edge"`
	} `xml:"graph"`
}

// WriteGEXF writes the cooperation graph as GEXF 1.2 (Gephi, networkx).
func WriteGEXF(w io.Writer, ds *gm.Dataset) error {
	var doc gexfDoc
	doc.Xmlns, doc.Version = "http://www.gexf.net/1.2draft", "1.2"
	doc.Meta.Creator, doc.Meta.Description = "coopchain", "cooperation chains (supplier → buyer)"
	doc.Graph.DefaultEdgeType, doc.Graph.Mode = "directed", "static"
	doc.Graph.Attributes = []gexfAttrs{
		{Class: "node", Attrs: []gexfAttr{{"0", "kind", "string"}, {"1", "final_producer", "boolean"}, {"2", "region", "string"}, {"3", "inn", "string"}}},
		{Class: "edge", Attrs: []gexfAttr{{"0", "value_rub", "double"}, {"1", "product_codes", "string"}, {"2", "documented", "boolean"}}},
	}
	for _, p := range ds.Participants {
		doc.Graph.Nodes = append(doc.Graph.Nodes, gexfNode{ID: p.ID, Label: p.Name, Values: []gexfValue{
			{"0", string(p.Kind)}, {"1", strconv.FormatBool(p.FinalProducer)}, {"2", p.Region}, {"3", p.INN}}})
	}
	for i, e := range edges(ds) {
		weight := e.ValueRUB
		if e.Valued == 0 {
			weight = 1
		}
		doc.Graph.Edges = append(doc.Graph.Edges, gexfEdge{ID: strconv.Itoa(i), Source: e.From, Target: e.To, Weight: strconv.FormatFloat(weight, 'f', -1, 64),
			Values: []gexfValue{{"0", strconv.FormatFloat(e.ValueRUB, 'f', -1, 64)}, {"1", strings.Join(e.Products, ";")}, {"2", strconv.FormatBool(e.Documented)}}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// DOTString quotes s as a DOT string: backslashes and quotes escaped, line
// breaks written as \n and every other control character dropped, so user
// text can never end the string or become an escape such as \N or \G.
func DOTString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// WriteDOT writes the cooperation graph as Graphviz DOT, every name and id
// quoted with DOTString.
func WriteDOT(w io.Writer, ds *gm.Dataset) error {
	var b strings.Builder
	b.WriteString("digraph cooperation {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n")
	for _, p := range ds.Participants {
		fmt.Fprintf(&b, "  %s [label=%s, kind=%s", DOTString(p.ID), DOTString(p.Name), DOTString(string(p.Kind)))
		if p.FinalProducer {
			b.WriteString(", peripheries=2")
		}
		b.WriteString("];\n")
	}
	for _, e := range edges(ds) {
		fmt.Fprintf(&b, "  %s -> %s [value_rub=%s, products=%s];\n", DOTString(e.From), DOTString(e.To),
			DOTString(strconv.FormatFloat(e.ValueRUB, 'f', -1, 64)), DOTString(strings.Join(e.Products, ";")))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
