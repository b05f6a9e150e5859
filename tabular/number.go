package tabular

// ParseNumber reads a number as people type it in a Russian locale:
// spaces and no-break spaces between thousands, a decimal comma ("1 234,5")
// or a decimal point ("1234.5", "1,234.5"). ok is false for anything else.
func ParseNumber(s string) (v float64, ok bool) { return parseNumber(s, decimalComma) }
