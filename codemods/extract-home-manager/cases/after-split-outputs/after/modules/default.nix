{ ... }:
{
  time.timeZone = "Europe/Berlin";
}
