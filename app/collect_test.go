package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// What a hurried accountant types, and what becomes of it.
func TestParseAmount(t *testing.T) {
	tests := []struct {
		in     string
		want   *float64
		errHas string // in the Russian message
	}{
		{"", nil, ""},
		{"   ", nil, ""},
		{"1 234,5", gm.Ptr(1234.5), ""},
		{"1234.5", gm.Ptr(1234.5), ""},
		{"1\u00a0234\u00a0567,89", gm.Ptr(1234567.89), ""},
		{"1,234.5", gm.Ptr(1234.5), ""},
		{"1 200 000 руб.", gm.Ptr(1.2e6), ""},
		{"0", gm.Ptr(0.0), ""},
		{"-5", gm.Ptr(-5.0), ""}, // read; the checks refuse a negative figure
		{"85%", gm.Ptr(85.0), ""},
		{"310 чел.", gm.Ptr(310.0), ""},
		{"12,5 млн", nil, "12 500 000"},
		{"12,5 млн руб.", nil, "без «млн»"},
		{"3 тыс.", nil, "3 000"},
		{"1,2 млрд", nil, "1 200 000 000"},
		{"100\t200", nil, "несколько ячеек"},
		{"100\n200\n300", nil, "несколько ячеек"},
		{"сто тысяч", nil, "только цифры"},
		{"12..5", nil, "не число"},
	}
	for _, tc := range tests {
		got, en, ru := app.ParseAmount(tc.in)
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%q: (-want +got)\n%s", tc.in, d)
		}
		if tc.errHas == "" && (en != "" || ru != "") {
			t.Errorf("%q: unexpected message %q", tc.in, ru)
		}
		if tc.errHas != "" && (!strings.Contains(ru, tc.errHas) || en == "") {
			t.Errorf("%q: message %q / %q, want it to mention %q", tc.in, ru, en, tc.errHas)
		}
	}
}

func TestFormNumber(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 1234.5: "1 234,5", 1e9: "1 000 000 000", -1500: "-1 500", 160500000.5: "160 500 000,5"} {
		if got := app.FormNumber(&v); got != want {
			t.Errorf("%v: %q, want %q", v, got, want)
		}
	}
	if app.FormNumber(nil) != "" {
		t.Error("nil is not empty")
	}
}

// A form with the inputs of a hurried accountant: every unreadable field
// gets a message at its path; empty rows are dropped; codes lose spaces.
func TestSubmissionForm(t *testing.T) {
	f := app.SubmissionForm{
		Indicators: map[string]string{"shipped_rub": "12,5 млн", "employees": "310"},
		Purchases: []app.PurchaseRow{{}, {SupplierID: "profile", ProductCode: " 24.42. 22 ", Value: "1 000,5"},
			{SupplierName: "ООО Ромашка", ProductCode: "20.30.22", Value: "100\t200"}},
		Imports:  []app.ImportRow{{ProductCode: "22.21.10", Country: "Китай", Value: ""}},
		Problems: []app.ProblemRow{{Category: "finance"}},
	}
	f.Compact()
	sub, bad := f.Submission()
	var paths []string
	for _, p := range bad {
		paths = append(paths, p.Column)
	}
	if d := cmp.Diff([]string{"indicators.shipped_rub", "purchases[1].value_rub"}, paths); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if len(sub.Purchases) != 2 || sub.Purchases[0].ProductCode != "24.42.22" || *sub.Purchases[0].ValueRUB != 1000.5 || sub.Imports[0].Country != "CN" || len(sub.Problems) != 0 {
		t.Errorf("submission: %+v", sub)
	}
	// The empty value is read as no data; the checks then require it.
	errs, _ := sub.Validate(gm.SubmissionContext{Participant: "ingots", Members: map[string]string{"profile": "Профиль"}})
	found := false
	for _, e := range errs {
		found = found || e.Column == "imports[0].value_rub" && strings.Contains(e.MessageRU, "укажите сумму")
	}
	if !found {
		t.Errorf("an empty amount is not required: %+v", errs)
	}
	// Back to the form, the Russian way.
	back := app.FormOf(sub)
	if back.Purchases[0].Value != "1 000,5" || back.Indicators["employees"] != "310" || back.Indicators["shipped_rub"] != "" {
		t.Errorf("form: %+v", back)
	}
}

func ru(lang, key string) string {
	m := map[string]string{"wb.sheet.indicators": "Показатели", "wb.sheet.purchases": "Закупки", "wb.sheet.sales": "Продажи", "wb.sheet.imports": "Импорт",
		"wb.sheet.capacities": "Мощности", "wb.sheet.problems": "Проблемы", "wb.col.key": "Код показателя", "wb.col.indicator": "Показатель", "wb.col.unit": "Ед. изм.",
		"wb.col.value": "Значение", "wb.col.previous": "В прошлом году", "wb.col.supplier": "Поставщик — участник кластера", "wb.col.supplier_name": "Поставщик вне кластера",
		"wb.col.product_code": "Код продукции", "wb.col.value_rub": "Стоимость, руб.", "wb.col.quantity": "Количество", "wb.col.documented": "Есть договор",
		"cat.finance": "Финансирование"}
	return m[key]
}

// A workbook laid out as the submission workbook, read back with every
// row located; a figure in millions is refused at its sheet and row.
func TestReadSubmissionWorkbook(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Показатели")
	f.SetSheetRow("Показатели", "A1", &[]any{"Код показателя", "Показатель", "Ед. изм.", "Значение", "В прошлом году"})
	f.SetSheetRow("Показатели", "A2", &[]any{"shipped_rub", "…", "руб.", 1.5e9})
	f.SetSheetRow("Показатели", "A3", &[]any{"employees", "…", "чел.", "310"})
	f.NewSheet("Закупки")
	f.SetSheetRow("Закупки", "A1", &[]any{"Количество", "Поставщик — участник кластера", "Поставщик вне кластера", "Код продукции", "Стоимость, руб.", "Ед. изм.", "Есть договор"})
	f.SetSheetRow("Закупки", "A2", &[]any{nil, "Профиль", nil, "24.42.22", "12,5 млн", nil, "да"})
	f.SetSheetRow("Закупки", "A4", &[]any{nil, nil, "ООО Ромашка", "20.30.22", 1000, nil, "нет"})
	var buf bytes.Buffer
	f.Write(&buf)
	form, err := app.ReadSubmissionWorkbook(buf.Bytes(), map[string]string{"profile": "Профиль"}, ru)
	if err != nil {
		t.Fatal(err)
	}
	form.Compact()
	if len(form.Purchases) != 2 || form.Purchases[0].SupplierID != "profile" || !form.Purchases[0].Documented || form.Purchases[1].Pos.Row != 4 {
		t.Fatalf("purchases: %+v", form.Purchases)
	}
	_, bad := form.Submission()
	if len(bad) != 1 || bad[0].File != "Закупки" || bad[0].Row != 2 || bad[0].Column != "purchases[0].value_rub" || !strings.Contains(bad[0].MessageRU, "12 500 000") {
		t.Errorf("problems: %+v", bad)
	}
	if _, err := app.ReadSubmissionWorkbook([]byte("not a workbook"), nil, ru); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("not a workbook: %v", err)
	}
}

func TestMatchMeasures(t *testing.T) {
	ms := []gm.SupportMeasure{
		{ID: "fed-starting-batch", Level: gm.LevelFederal, Kind: gm.MeasureSubsidy},
		{ID: "fed-tax", Level: gm.LevelFederal, Kind: gm.MeasureTax},
		{ID: "eaeu", Level: gm.LevelEAEU, Kind: gm.MeasureCooperation},
		{ID: "reg-omsk-loan", Level: gm.LevelRegional, Kind: gm.MeasureLoan, Region: "Омская область"},
		{ID: "reg-ryazan-loan", Level: gm.LevelRegional, Kind: gm.MeasureLoan, Region: "Рязанская область"},
		{ID: "fed-export", Level: gm.LevelFederal, Kind: gm.MeasureExport},
	}
	ids := func(rs []app.MeasureRef) []string {
		out := []string{}
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	tests := []struct {
		category, need string
		want           []string
	}{
		{gm.CategoryImportDependence, "", []string{"fed-starting-batch", "eaeu", "reg-omsk-loan"}},
		{gm.CategoryPersonnel, "", []string{"fed-tax"}},
		{gm.CategoryOther, "", []string{}},
		{gm.CategoryOther, "нужен льготный заём и выход на экспорт", []string{"fed-export", "reg-omsk-loan"}},
	}
	for _, tc := range tests {
		if d := cmp.Diff(tc.want, ids(app.MatchMeasures(ms, tc.category, tc.need, []string{"Омская область"}))); d != "" {
			t.Errorf("%s %q (-want +got):\n%s", tc.category, tc.need, d)
		}
	}
}
