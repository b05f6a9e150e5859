package analysis

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// DenseLeontiefLimit is the largest graph for which the Leontief inverse is
// computed with a dense gonum/mat solve; larger graphs iterate on the sparse
// graph (the same fixed point).
const DenseLeontiefLimit = 400

// importContent fills import_share_direct and import_content_total.
//
// import_share_direct_j = imports_j / (imports_j + purchases_j), null when
// the participant has neither.
//
// import_content_total is Leontief's total (direct plus indirect) import
// content on the firm graph: a_ij = value bought by j from i / output_j,
// m_j = imports_j / output_j, t = m (I − A)^-1, with output_j = out_value_j +
// declared final sales_j. It is null with status "insufficient_data" when a
// participant's output is unknown (no sales at all), and "not_converged" when
// inputs exceed output so that the series diverges.
func importContent(ix *index, rep *Report) {
	n := ix.n()
	output := make([]float64, n)
	known := make([]bool, n)
	for j, p := range ix.parts {
		output[j] = ix.outValue[j]
		if p.FinalSalesRUB != nil {
			output[j] += *p.FinalSalesRUB
		}
		known[j] = ix.weighted && output[j] > 0
	}
	for j := range rep.Participants {
		m := &rep.Participants[j]
		switch d := ix.imports[j] + ix.inValue[j]; {
		case m.InDegree > 0 && !ix.weighted && ix.imports[j] > 0:
			// Purchases exist but carry no value: the share is unknown.
		case d > 0:
			v := ix.imports[j] / d
			m.ImportShareDirect = &v
		case m.InDegree > 0:
			v := 0.0
			m.ImportShareDirect = &v
		}
		if known[j] {
			o := output[j]
			m.OutputRUB = &o
		}
	}
	if !ix.weighted {
		// Without values there is nothing to weigh imports against.
		for j := range rep.Participants {
			rep.Participants[j].ImportContentStatus = "insufficient_data"
		}
		return
	}
	var t []float64
	var ok []bool
	if n <= DenseLeontiefLimit {
		t, ok = leontiefDense(ix, output, known)
	} else {
		t, ok = leontiefIterative(ix, output, known)
	}
	for j := range rep.Participants {
		m := &rep.Participants[j]
		switch {
		case !known[j]:
			m.ImportContentStatus = "insufficient_data"
		case !ok[j]:
			m.ImportContentStatus = "not_converged"
		default:
			v := t[j]
			m.ImportContentTotal = &v
			m.ImportContentStatus = "ok"
		}
	}
}

// coefficients returns m and the sparse A as (i, j, a_ij) triples, over
// participants whose output is known.
func coefficients(ix *index, output []float64, known []bool) (m []float64, colSum []float64) {
	n := ix.n()
	m = make([]float64, n)
	colSum = make([]float64, n)
	for j := 0; j < n; j++ {
		if !known[j] {
			continue
		}
		m[j] = ix.imports[j] / output[j]
		_, w := ix.g.In(int32(j))
		for _, x := range w {
			colSum[j] += x / output[j]
		}
	}
	return m, colSum
}

func leontiefDense(ix *index, output []float64, known []bool) ([]float64, []bool) {
	n := ix.n()
	m, _ := coefficients(ix, output, known)
	ok := make([]bool, n)
	t := make([]float64, n)
	if n == 0 {
		return t, ok
	}
	// Solve (I − A)ᵀ tᵀ = mᵀ.
	M := mat.NewDense(n, n, nil)
	for j := 0; j < n; j++ {
		M.Set(j, j, 1)
		if !known[j] {
			continue
		}
		sup, w := ix.g.In(int32(j))
		for k, i := range sup {
			// Row j of (I − A)ᵀ holds −a_ij in column i.
			M.Set(j, int(i), M.At(j, int(i))-w[k]/output[j])
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(M, mat.NewVecDense(n, m)); err != nil {
		return leontiefIterative(ix, output, known)
	}
	for j := 0; j < n; j++ {
		t[j] = x.AtVec(j)
		ok[j] = known[j] && !math.IsNaN(t[j]) && !math.IsInf(t[j], 0) && t[j] >= -1e-9
		if ok[j] && t[j] <= 0 {
			t[j] = 0 // also turns −0 into 0
		}
	}
	// A singular or near-singular system (inputs ≥ output on a cycle) gives
	// huge values; treat those like non-convergence.
	it, itOK := leontiefIterative(ix, output, known)
	for j := range t {
		if ok[j] && (!itOK[j] || math.Abs(it[j]-t[j]) > 1e-6*math.Max(1, math.Abs(t[j]))) {
			ok[j] = false
		}
	}
	return t, ok
}

// leontiefIterative iterates t ← m + t A (Jacobi) until it settles; nodes
// whose value keeps growing are reported as not converged.
func leontiefIterative(ix *index, output []float64, known []bool) ([]float64, []bool) {
	n := ix.n()
	m, _ := coefficients(ix, output, known)
	t := append([]float64(nil), m...)
	next := make([]float64, n)
	ok := make([]bool, n)
	const maxIter = 5000
	converged := false
	for it := 0; it < maxIter; it++ {
		delta := 0.0
		for j := 0; j < n; j++ {
			s := m[j]
			if known[j] {
				sup, w := ix.g.In(int32(j))
				for k, i := range sup {
					s += t[i] * w[k] / output[j]
				}
			}
			next[j] = s
			delta = math.Max(delta, math.Abs(s-t[j]))
		}
		t, next = next, t
		if delta < 1e-13 {
			converged = true
			break
		}
	}
	for j := 0; j < n; j++ {
		ok[j] = known[j] && (converged || t[j] <= 1+1e-9) && !math.IsNaN(t[j]) && !math.IsInf(t[j], 0)
	}
	if !converged {
		// Only the nodes fed by the diverging part fail; mark those whose
		// value exceeds 1 (import content above the whole output).
		for j := 0; j < n; j++ {
			if t[j] > 1+1e-9 {
				ok[j] = false
			}
		}
	}
	return t, ok
}
