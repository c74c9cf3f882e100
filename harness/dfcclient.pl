# dfcclient.pl - Juniper's flow-tap client for a Linux mediation device, as
# printed in the seed guide (seed/flow-tap-guide.txt, "Flow-Tap Script for a
# Linux Device"; the content and distribution of this script are subject to
# terms and conditions of Juniper Networks, Inc.).
#
# This copy repairs only the guide's OCR damage, nothing else:
#   gw(hmac_shal hmac_shal_hex)  ->  qw(hmac_sha1 hmac_sha1_hex)
#   hmac_shal(...)               ->  hmac_sha1(...)
#   chomp(%$line)                ->  chomp($line)
#   if ($lineeg"")               ->  if ($line eq "")
#   $dtcp_.cmd =""               ->  $dtcp_cmd =""
#   lelse{                       ->  } else {
#   the two closing "1" lines    ->  "}" (the if/else and the foreach)
# Every other line, blank lines included, is as printed. The port (32001),
# the key ("Juniper"), the Expect dialogue, the sleeps and the final
# interact() are the guide's. harness/check_serve_dfcclient.sh runs it
# against `flowtap serve` (docs/serve.md).
use Expect;
use Digest::HMAC_SHA1 qw(hmac_sha1 hmac_sha1_hex);

if ($#ARGV !=3) {
die("Usage: dfcclient.pl <router> <user_name> <password> <input_file>\n");

}

my $exp = new Expect;

my $router = $ARGV[0];

my $user = $ARGV[1];

my $password = $ARGV[2];

my $input_file = $ARGV[3];

my $command = "ssh -l $user -p 32001 $router -s flow-tap-dtcp";
my $key = "Juniper";

my $digest;

my $hexdata;

my $dtcp_cmd ="";

print "$command\n";
$exp->raw_pty(1);
$exp->spawn($command) or die "Cannot spawn $command: $!\n";

$exp->expect(15, '-re', "password:");
$exp->send("$password\n");

sleep 3;

print "\n";

open(DAT, $input_file) || die("Could not open file!");
@raw_data=<DAT>;

foreach $line (@raw_data)
{
chomp($line);
if ($line eq "") {
$digest = hmac_sha1($dtcp_cmd, $key);

# converts binary to hex
$hexdata = unpack("H*", $digest);

$dtcp_cmd = $dtcp_cmd . "Authentication-Info: " . $hexdata . "\r\n\r\n";
print "Sending DTCP cmd:\n" . $dtcp_cmd,;
$exp->send($dtcp_cmd);
$dtcp_cmd ="";
sleep 1;

} else {
$dtcp_cmd = $dtcp_cmd. $line. "\r\n";

}

}
 $exp->interact();
