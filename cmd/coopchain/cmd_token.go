package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
)

// cmdToken runs token create, list or revoke, each with its own flags and
// help; every one needs an existing database.
func cmdToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printHelp(e.stderr, "token", nil)
		return usageError{"token needs a subcommand: create, list or revoke"}
	}
	if wantsHelp(args[:1]) || args[0] == "help" {
		printHelp(e.stdout, "token", nil)
		return errHelp
	}
	switch args[0] {
	case "create":
		return tokenCreate(ctx, e, args[1:])
	case "list":
		return tokenList(ctx, e, args[1:])
	case "revoke":
		return tokenRevoke(ctx, e, args[1:])
	}
	printHelp(e.stderr, "token", nil)
	return usageError{fmt.Sprintf("unknown token command %q: use create, list or revoke", args[0])}
}

// dbFlag adds the --db flag of commands that work on an existing database.
func dbFlag(e *env, fs interface {
	String(name, value, usage string) *string
}) *string {
	return fs.String("db", "", "database: a SQLite file (default "+sqlstore.DefaultPath(e.getenv)+") or postgres://…; it must exist")
}

func tokenCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token create")
	dsn := dbFlag(e, fs)
	role := fs.String("role", "", "admin, editor, viewer, investor, analyst or participant (required)")
	cluster := fs.String("cluster", "", "limit an editor or viewer token to one cluster (a participant token's cluster)")
	participant := fs.String("participant", "", "the participant a participant token answers for (with --cluster)")
	name := fs.String("name", "", "a note on who or what the token is for")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *role == "" || len(pos) != 0 || (*role == gm.RoleParticipant) != (*participant != "") {
		return usageError{"usage: coopchain " + docs["token create"].usage}
	}
	st, err := openExisting(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
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
}

func tokenList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token list")
	dsn := dbFlag(e, fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError{"usage: coopchain " + docs["token list"].usage}
	}
	st, err := openExisting(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
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
}

func tokenRevoke(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token revoke")
	dsn := dbFlag(e, fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"usage: coopchain " + docs["token revoke"].usage}
	}
	st, err := openExisting(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.RevokeToken(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token %s revoked\n", pos[0])
	return nil
}
