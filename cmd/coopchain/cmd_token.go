package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server"
)

func cmdToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: coopchain token create|list|revoke …"}
	}
	fs := newFlags(e, "token "+args[0])
	dsn := fs.String("db", "", "database file or postgres://…")
	role := fs.String("role", "", "admin, editor, viewer, investor or participant")
	cluster := fs.String("cluster", "", "limit an editor or viewer token to one cluster (a participant token's cluster)")
	participant := fs.String("participant", "", "the participant a participant token answers for (with --cluster)")
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
		if *role == "" || (*role == gm.RoleParticipant) != (*participant != "") {
			return usageError{"usage: coopchain token create --db PATH --role viewer|editor|admin|investor [--cluster ID] [--name NOTE]\n   or: coopchain token create --db PATH --role participant --cluster ID --participant ID [--name NOTE]"}
		}
		t, full, err := server.NewToken(ctx, st, *role, *cluster, *name)
		if *role == gm.RoleParticipant {
			t, full, err = server.NewParticipantToken(ctx, st, *cluster, *participant, *name)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, full)
		fmt.Fprintf(e.stderr, "token %s (%s%s%s) created; it is shown only this once, store it safely\n", t.ID, t.Role, map[bool]string{true: ", cluster " + t.ClusterID, false: ""}[t.ClusterID != ""],
			map[bool]string{true: ", participant " + t.ParticipantID, false: ""}[t.ParticipantID != ""])
		return nil
	case "list":
		ts, err := st.ListTokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "id\trole\tcluster\tparticipant\tname\tcreated\trevoked")
		for _, t := range ts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, t.ClusterID, t.ParticipantID, t.Name, t.CreatedAt, t.RevokedAt)
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
