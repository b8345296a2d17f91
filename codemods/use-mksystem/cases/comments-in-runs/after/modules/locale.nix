# German keyboard and locale, English messages.
{
  time.timeZone = "Europe/Berlin";
  i18n.defaultLocale = "en_US.UTF-8";
  i18n.extraLocaleSettings.LC_TIME = "de_DE.UTF-8";
  console.keyMap = "de";
  services.xserver.xkb.layout = "de";
}
