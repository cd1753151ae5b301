from tmallcli.cli import main

main()
