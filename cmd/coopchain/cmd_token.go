package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/coopchain/coopchain/server"
)

func cmdToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: coopchain token create|list|revoke …"}
	}
	fs := newFlags(e, "token "+args[0])
	dsn := fs.String("db", "", "database file or postgres://…")
	role := fs.String("role", "", "admin, editor, viewer or investor")
	cluster := fs.String("cluster", "", "limit an editor or viewer token to one cluster")
	name := fs.String("name", "", "a note on who or what the token is for")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	switch args[0] {
	case "create":
		if *role == "" {
			return usageError{"usage: coopchain token create --db PATH --role viewer|editor|admin|investor [--cluster ID] [--name NOTE]"}
		}
		t, full, err := server.NewToken(ctx, st, *role, *cluster, *name)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, full)
		fmt.Fprintf(e.stderr, "token %s (%s%s) created; it is shown only this once, store it safely\n", t.ID, t.Role, map[bool]string{true: ", cluster " + t.ClusterID, false: ""}[t.ClusterID != ""])
		return nil
	case "list":
		ts, err := st.ListTokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "id\trole\tcluster\tname\tcreated\trevoked")
		for _, t := range ts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, t.ClusterID, t.Name, t.CreatedAt, t.RevokedAt)
		}
		return tw.Flush()
	case "revoke":
		if len(pos) != 1 {
			return usageError{"usage: coopchain token revoke --db PATH TOKEN_ID"}
		}
		if err := st.RevokeToken(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token %s revoked\n", pos[0])
		return nil
	}
	return usageError{fmt.Sprintf("unknown token command %q: use create, list or revoke", args[0])}
}
