#!/usr/bin/perl
# The realistic mix of bench/http.sh (issue 13, item 3): writes generic-channel form bodies, one a
# line, for `loadgen --bodies` and bench/http/mix.lua: every "{n}" is replaced per request, in the
# provider id and in the note after "#", so that each request is a new message (neither the
# provider-id rule nor the 10-minute duplicate rule, which compares the note too, folds two).
#
#   mix_bodies.pl --cases CASES.tsv --alerts ALERTS.tsv --team TEAM.tsv [--lines 1000] [--seed 1] > FILE
#
# CASES.tsv: "code<TAB>site" of open, not sensitive cases of the store (TR and REF name them);
# ALERTS.tsv: "id<TAB>site" of its alerts (ACK and INFO name them); TEAM.tsv: "site<TAB>phone" of
# the team members covering each site. The reporters are bench/http.sh's 500 generated volunteers,
# +97699000300..799, the one at index i watching site i % 6 of demo.toml's ALT ULT TSD DKH NRT NLK;
# +97699000800..849 are not registered. Made-up numbers only.
#
# The lines, in these proportions: 40% NIL, 25% ID (each opens cases, raises or folds into an alert
# and writes its outbox rows), 20% TR (WORK and MISS raise tracking alerts), 5% team forms from the
# team members' phones (ACK, INFO, REF), 10% invalid (from registered reporters: an unknown site,
# an adult's age, an unknown keyword, a bad check digit, a missing field) or unregistered; about a
# third in Cyrillic spellings from tests/parser's samples. Written in a shuffled order (the same for
# the same seed and inputs), so that any run of lines has the mix.
use strict;
use warnings;

my %opt = (lines => 1000, seed => 1);
while (@ARGV) {
    my $k = shift @ARGV;
    die "mix_bodies.pl: $k needs a value\n" unless @ARGV;
    my $v = shift @ARGV;
    $k =~ s/^--// or die "mix_bodies.pl: unknown argument $k\n";
    $opt{$k} = $v;
}
for my $k (qw(cases alerts team)) { die "mix_bodies.pl: --$k FILE is required\n" unless $opt{$k} }

# A small deterministic generator (LCG, 64-bit arithmetic through integers below 2**53).
my $state = $opt{seed} * 2654435761 % 4294967296;
sub below {
    my ($n) = @_;
    $state = (1103515245 * $state + 12345) % 2147483648;
    return int($state / 2147483648 * $n);
}
sub pick { my ($list) = @_; return $list->[below(scalar @$list)] }

sub read_tsv {
    my ($path) = @_;
    open my $f, '<', $path or die "mix_bodies.pl: $path: $!\n";
    my @rows;
    while (my $line = <$f>) {
        chomp $line;
        next if $line eq '';
        push @rows, [split /\t/, $line];
    }
    return \@rows;
}
my $cases = read_tsv($opt{cases});
my $alerts = read_tsv($opt{alerts});
my $team_rows = read_tsv($opt{team});
die "mix_bodies.pl: no case in $opt{cases}\n" unless @$cases;
die "mix_bodies.pl: no team member in $opt{team}\n" unless @$team_rows;

my @sites = qw(ALT ULT TSD DKH NRT NLK);
my %reporters; # site -> phones
for my $i (0 .. 499) { push @{ $reporters{ $sites[$i % 6] } }, sprintf("+97699000%03d", 300 + $i) }
my %team; # site -> member phones
push @{ $team{ $_->[0] } }, $_->[1] for @$team_rows;
my %cases_at;
push @{ $cases_at{ $_->[1] } }, $_->[0] for @$cases;
my @case_sites = grep { $reporters{$_} } sort keys %cases_at;
my @alerts_ok = grep { $team{ $_->[1] } } @$alerts;

# Percent-encoding of UTF-8 bytes for a form body.
sub enc {
    my ($s) = @_;
    utf8::encode($s) if utf8::is_utf8($s);
    $s =~ s/([^A-Za-z0-9_.~{}-])/sprintf("%%%02X", ord($1))/ge;
    return $s;
}
sub body {
    my ($from, $text) = @_;
    return "from=" . enc($from) . "&to=500&text=" . enc($text) . "&id=mx{n}";
}

# Site codes as typed: Latin, or with Cyrillic letters (look-alikes, or wholly in Cyrillic, which
# MNS 5217 reads: tests/parser/test_translit.cpp).
use utf8;
my %cyrillic_site = (ALT => 'АLТ', ULT => 'улт', TSD => 'тсд', NLK => 'нлк', NRT => 'НРТ', DKH => 'DКH');
my @id_latin = ('%s 2B 12 MINE SHAFT', '%s 1G 14 TRADE', '%s 2B1G 10-12 PAN MERC', '%s B 13 CARRY LOAD',
                '%s 3B 15 BRICK', '%s 1U 9 SCRAP');
my @id_cyrillic = ('%s 1 ХҮҮ 11 нас CARRY LOAD', '%s 2B 11 пан', '%s 1 охин 14 уурхай нүх',
                   '%s 1 ХҮҮ 12 ТООСГО', '%s 3 ХҮҮ 2 ОХИН 11-13 нас MINE');
my @tr_status = ('NFE', 'SCH', 'NFE STOP', 'HOME', 'LESS', 'SCH STOP', 'WORK', 'MISS', 'KG', 'VOC');

my (@lines, %tally);
sub add { my ($kind, $line) = @_; push @lines, $line; $tally{$kind}++ }
my $n = $opt{lines};
my %want = (nil => int($n * 0.40), id => int($n * 0.25), tr => int($n * 0.20), team => int($n * 0.05));
$want{invalid} = $n - $want{nil} - $want{id} - $want{tr} - $want{team};

for my $i (1 .. $want{nil}) {
    my $site = pick(\@sites);
    my $from = pick($reporters{$site});
    my $cyr = $i % 3 == 0;
    my $code = $cyr ? $cyrillic_site{$site} : ($i % 3 == 1 ? lc $site : $site);
    my $kw = $cyr ? 'NIL' : ($i % 2 ? 'NIL' : 'nil');
    my $note = $cyr ? 'шалгасан {n}' : 'visit {n}';
    add('nil', body($from, "$kw $code # $note"));
}
for my $i (1 .. $want{id}) {
    my $site = pick(\@sites);
    my $from = pick($reporters{$site});
    if ($i % 3 == 0) {
        add('id', body($from, sprintf('ИД ' . pick(\@id_cyrillic), $cyrillic_site{$site}) . ' # тайлбар {n}'));
    } else {
        add('id', body($from, sprintf(($i % 2 ? 'ID ' : 'id ') . pick(\@id_latin), $site) . ' # seen {n}'));
    }
}
for my $i (1 .. $want{tr}) {
    my $site = pick(\@case_sites);
    my $code = pick($cases_at{$site});
    my $from = pick($reporters{$site});
    my $note = $i % 3 == 0 ? 'сургуульд {n}' : 'follow-up {n}';
    add('tr', body($from, ($i % 2 ? 'TR' : 'tr') . " $code " . pick(\@tr_status) . " # $note"));
}
for my $i (1 .. $want{team}) {
    my $k = $i % 3;
    if ($k != 2 && @alerts_ok) {
        my $a = pick(\@alerts_ok);
        my $from = pick($team{ $a->[1] });
        add('team', body($from, ($k == 0 ? 'ACK ' : 'INFO ') . $a->[0] . ' # team {n}'));
    } else {
        my @with_team = grep { $team{$_} } @case_sites;
        my $site = pick(\@with_team);
        add('team', body(pick($team{$site}), 'REF ' . pick($cases_at{$site}) . ' ' .
                         pick([qw(NFE SCH HEALTH SOCIAL PSY)]) . ' # team {n}'));
    }
}
my @invalid = ('ID ALX 2B 12 MINE # typo {n}', 'ID ALT 2B 30 MINE # adult {n}', 'hello there {n}',
               'TR 123457 NFE # check digit {n}', 'ID ALT # missing {n}', 'ИД АLТ 2 хүү # дутуу {n}');
for my $i (1 .. $want{invalid}) {
    if ($i % 2) {
        add('invalid', body(sprintf("+97699000%03d", 800 + below(50)), 'NIL ALT # not registered {n}'));
    } else {
        add('invalid', body(pick($reporters{ALT}), pick(\@invalid)));
    }
}

for (my $i = @lines; $i > 1; --$i) {
    my $j = below($i);
    @lines[$i - 1, $j] = @lines[$j, $i - 1];
}
print "$_\n" for @lines;
printf STDERR "mix_bodies.pl: %d lines: %s\n", scalar @lines,
    join(' ', map { "$_ $tally{$_}" } qw(nil id tr team invalid));
