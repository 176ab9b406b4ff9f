package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/returns-portal/returns/returns"
)

func BenchmarkZZ(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, b.TempDir()+"/returns.db", returns.LoadLegal())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	s.Migrate(ctx)
	o := sampleOrder("O-10")
	for len(o.Lines) < 10 {
		l := o.Lines[0]
		l.ID = fmt.Sprintf("L%d", len(o.Lines)+1)
		o.Lines = append(o.Lines, l)
	}
	s.UpsertOrder(ctx, o)
	for name, q := range map[string]string{
		"full":    orderSelect + orderFrom,
		"noorder": orderSelect + ` FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id WHERE o.number = CAST(? AS TEXT)`,
		"lines":   `SELECT l.id AS line_row, l.line_id, l.sku, l.name, l.variant, l.quantity, l.unit_price, l.discount, l.tax, l.category, l.exemption, l.final_sale, l.hs_code, l.origin_country, l.weight_grams, l.customs_description FROM order_lines l WHERE l.order_id = 1 AND 'x' != ? ORDER BY position, id`,
	} {
		b.Run(name+"/raw", func(b *testing.B) {
			for b.Loop() {
				rows, err := s.r.QueryContext(ctx, q, "O-10")
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
			}
		})
		b.Run(name+"/sqlx", func(b *testing.B) {
			for b.Loop() {
				var rows []orderLineRow
				if name == "lines" {
					var rows []struct {
						LineRow *int64 `db:"line_row"`
						lineRow
					}
					if err := sel(ctx, s.r, &rows, q, "O-10"); err != nil {
						b.Fatal(err)
					}
					continue
				}
				if err := sel(ctx, s.r, &rows, q, "O-10"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}

	q := `SELECT l.id AS line_row, l.line_id, l.sku, l.name, l.variant, l.quantity, l.unit_price, l.discount, l.tax, l.category, l.exemption, l.final_sale, l.hs_code, l.origin_country, l.weight_grams, l.customs_description FROM order_lines l WHERE l.order_id = 1 AND 'x' != ? ORDER BY position, id`
	b.Run("lines/scan", func(b *testing.B) {
		for b.Loop() {
			rows, err := s.r.QueryContext(ctx, q, "O-10")
			if err != nil {
				b.Fatal(err)
			}
			var out []lineRow
			for rows.Next() {
				var l lineRow
				var id int64
				if err := rows.Scan(&id, &l.LineID, &l.SKU, &l.Name, &l.Variant, &l.Quantity, &l.UnitPrice, &l.Discount, &l.Tax, &l.Category, &l.Exemption, &l.FinalSale, &l.HSCode, &l.OriginCountry, &l.WeightGrams, &l.CustomsDescription); err != nil {
					b.Fatal(err)
				}
				out = append(out, l)
			}
			rows.Close()
		}
	})
}
