# bash completion for flowtap (installed by 'make install' as
# $(PREFIX)/share/bash-completion/completions/flowtap).
#
# Subcommands, then each subcommand's options as its --help lists them
# (so the list never goes stale), file names for FILE arguments, folders
# for DIR arguments, and the fixed words of --profile, --classifier,
# --copy-linktype, --delivery and --outputs.

_flowtap_options()
{
	# The long and short options of 'flowtap CMD --help', once per shell.
	local cmd=$1 var=_flowtap_opts_$1
	if [[ -z ${!var-} ]]; then
		printf -v "$var" '%s' "$("${COMP_WORDS[0]}" "$cmd" --help 2>/dev/null |
		    grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' |
		    sed 's/^[ ,]*//' | sort -u | tr '\n' ' ')"
	fi
	printf '%s' "${!var}"
}

_flowtap()
{
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="replay serve client plan report bench lint help version"

	if [[ $COMP_CWORD -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	if [[ $cmd == help ]]; then
		[[ $COMP_CWORD -eq 2 ]] &&
		    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		return
	fi

	case $prev in
	--profile)
		COMPREPLY=($(compgen -W "flowtap junos draft" -- "$cur"))
		return
		;;
	-p)
		# replay, plan, lint: --profile; serve and client: --port.
		[[ $cmd == replay || $cmd == plan || $cmd == lint ]] &&
		    COMPREPLY=($(compgen -W "flowtap junos draft" -- "$cur"))
		return
		;;
	--classifier)
		COMPREPLY=($(compgen -W "fast linear" -- "$cur"))
		return
		;;
	--form)
		COMPREPLY=($(compgen -W "auto script dfcclient transcript" -- "$cur"))
		return
		;;
	-f|--format)
		COMPREPLY=($(compgen -W "text json junit" -- "$cur"))
		return
		;;
	--rules)
		COMPREPLY=($(compgen -W "text markdown" -- "$cur"))
		return
		;;
	--copy-linktype)
		COMPREPLY=($(compgen -W "raw ether" -- "$cur"))
		return
		;;
	--delivery)
		COMPREPLY=($(compgen -W "auto raw udp none" -- "$cur"))
		return
		;;
	--outputs)
		# A comma list: complete the last element.
		local done="${cur%,*}" last="${cur##*,}" w
		[[ $done == "$cur" ]] && done="" || done="$done,"
		for w in intercept.pcap dtcp.log ledger.tsv rates.csv \
		    csources.csv report.json all; do
			[[ $w == "$last"* ]] && COMPREPLY+=("$done$w")
		done
		compopt -o nospace 2>/dev/null
		return
		;;
	-o|--out|--state|--tmpdir)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--capture)
		COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur"))
		return
		;;
	-t|--trace)
		if [[ $cmd == client ]]; then
			return		# --timeout SECONDS
		fi
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-s|--script|-c|--config|--criteria|--hostkey|--known-hosts|\
	--password-file|--write-copies|--json-file|--intervals|--data|\
	-j|--json|--gnuplot)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-k|--dtcp-key|--password|-H|--host|-u|--user|-l|--listen|--port|\
	--budget-*|--interval|--input-interface|--output-interface|\
	--copy-src-mac|--copy-dst-mac|--speed|--packets|\
	--match-rate|--reps|--seed|--sweep|--top|--max-runs|--csource|\
	--restart-after|--login-grace|--max-startups|--max-queue|\
	--capture-buffer|--seq-from|--timeout)
		return		# a value of the user's
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_flowtap_options "$cmd")" -- "$cur"))
		return
	fi
	# Positional arguments: report DIR, client SCRIPT.
	case $cmd in
	report)
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	client|lint)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	esac
}
complete -F _flowtap flowtap
