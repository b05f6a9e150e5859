package analysis

import (
	"sort"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// LQ is the location quotient (коэффициент локализации) of an industry in a
// region: LQ(r,i) = (e_ri / e_r) / (e_i / e). With groups (e.g. traded and
// local industries) the totals e_r, e_i and e are taken inside the group.
type LQ struct {
	Region    string   `json:"region"`
	Industry  string   `json:"industry"`
	Group     string   `json:"group"`
	Year      int      `json:"year,omitempty"`
	Employees float64  `json:"employees"`
	LQ        *float64 `json:"lq"` // null when a total is zero
}

// LocationQuotients computes the LQ of every row, per year and group.
// Rows of the same region, industry, group and year are summed first.
func LocationQuotients(rows []gm.Employment) []LQ {
	type cell struct {
		region, industry, group string
		year                    int
	}
	type gy struct {
		group string
		year  int
	}
	type rk struct {
		region string
		gy
	}
	type ik struct {
		industry string
		gy
	}
	emp := map[cell]float64{}
	var order []cell
	er, ei, e := map[rk]float64{}, map[ik]float64{}, map[gy]float64{}
	for _, r := range rows {
		c := cell{r.Region, r.Industry, r.Group, r.Year}
		if _, ok := emp[c]; !ok {
			order = append(order, c)
		}
		emp[c] += r.Employees
		g := gy{r.Group, r.Year}
		er[rk{r.Region, g}] += r.Employees
		ei[ik{r.Industry, g}] += r.Employees
		e[g] += r.Employees
	}
	out := make([]LQ, 0, len(order))
	for _, c := range order {
		g := gy{c.group, c.year}
		l := LQ{Region: c.region, Industry: c.industry, Group: c.group, Year: c.year, Employees: emp[c]}
		a, b, t := er[rk{c.region, g}], ei[ik{c.industry, g}], e[g]
		if a > 0 && b > 0 && t > 0 {
			v := (emp[c] * t) / (a * b) // = (e_ri/e_r)/(e_i/e), with one rounding less
			l.LQ = &v
		}
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Region != out[j].Region {
			return out[i].Region < out[j].Region
		}
		if out[i].Group != out[j].Group {
			return out[i].Group < out[j].Group
		}
		return out[i].Industry < out[j].Industry
	})
	return out
}
