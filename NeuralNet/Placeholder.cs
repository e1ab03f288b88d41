namespace NeuralNet;
