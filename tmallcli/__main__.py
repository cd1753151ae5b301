from tmallcli.cli import entry

entry()
