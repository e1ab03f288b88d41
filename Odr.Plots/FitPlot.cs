namespace Odr.Plots;
