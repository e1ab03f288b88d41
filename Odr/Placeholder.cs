namespace Odr;
